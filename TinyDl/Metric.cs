namespace TinyDl;

/// <summary>
/// A value computed exactly over one epoch of one stage. The contract, as in PyTorch Ignite:
/// <see cref="Reset"/> at the start of every epoch, <see cref="Update"/> once per batch,
/// <see cref="Compute"/> once at the end. Implementations accumulate on the device of the tensors
/// they see (see <see cref="DeviceSum"/>) and convert to .NET numbers only in <see cref="Compute"/>,
/// so a GPU run does not synchronise with the host every batch.
/// </summary>
/// <remarks>
/// A metric instance belongs to one stage of one trainer or validator. Not thread-safe.
/// </remarks>
public abstract class Metric : IDisposable
{
    /// <summary>Creates a metric.</summary>
    /// <param name="name">The stable name under which the value is reported, such as <c>accuracy</c>.</param>
    /// <param name="higherIsBetter">True when larger values are better.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or contains characters other than letters, digits, '_', '-' and '.'.</exception>
    protected Metric(string name, bool higherIsBetter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"Metric name '{name}' may contain only ASCII letters, digits, '_', '-' and '.', so that it works as a CSV column and a TensorBoard tag.", nameof(name));
        }

        Name = name;
        HigherIsBetter = higherIsBetter;
    }

    /// <summary>The stable name of the value, such as <c>loss</c> or <c>accuracy</c>.</summary>
    public string Name { get; }

    /// <summary>True when larger values are better (accuracy); false when smaller are (loss).</summary>
    public bool HigherIsBetter { get; }

    /// <summary>
    /// Whether a best value means something: false for values that are reported but not ranked, such as a
    /// GAN's losses or a learning rate; their values then get no best mark in reports, and no best in
    /// <see cref="RunCompleted.Best"/> other than the last. Defaults to true.
    /// </summary>
    public bool Ranked { get; init; } = true;

    /// <summary>Forgets everything seen; called at the start of every epoch.</summary>
    public abstract void Reset();

    /// <summary>Accumulates one batch. Must not keep the batch's tensors, and should not copy to the host.</summary>
    /// <param name="batch">The batch that just completed; its tensors are valid only during this call.</param>
    public abstract void Update(BatchCompleted batch);

    /// <summary>Computes the value over everything seen since <see cref="Reset"/>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">No sample was seen since the last reset.</exception>
    public abstract double Compute();

    /// <summary>
    /// The values this metric reports. By default the single value of <see cref="Compute"/> under
    /// <see cref="Name"/>; metrics with several values (per-class scores) override this.
    /// </summary>
    /// <returns>The values, each with a unique name.</returns>
    public virtual IEnumerable<MetricValue> ComputeValues()
    {
        yield return new MetricValue(Name, Compute(), HigherIsBetter);
    }

    /// <summary>Throws the standard error for a metric computed without samples.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    protected void ThrowNoSamples() =>
        throw new InvalidOperationException($"Metric '{Name}' must see at least one sample before it can be computed; the epoch had no samples.");

    /// <summary>Releases the device tensors the metric accumulates in.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the device tensors the metric accumulates in.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
