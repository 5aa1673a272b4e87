using TorchSharp;

namespace TinyDl;

/// <summary>
/// A value computed exactly over one epoch of one stage. The contract, as in PyTorch Ignite:
/// <see cref="Reset"/> at the start of every epoch, <see cref="Update(BatchCompleted)"/> once per batch,
/// <see cref="Compute()"/> once at the end. Implementations accumulate on the device of the tensors
/// they see (see <see cref="DeviceSum"/>) and convert to .NET numbers only in <see cref="Compute()"/>,
/// so a GPU run does not synchronise with the host every batch.
/// </summary>
/// <remarks>
/// A metric instance belongs to one stage of one trainer or validator. Not thread-safe. Outside a run,
/// <see cref="Update(torch.Tensor, torch.Tensor)"/> and <see cref="Compute(torch.Tensor, torch.Tensor)"/>
/// score tensors directly (a notebook, a test) through the same <see cref="Update(BatchCompleted)"/>.
/// A value that is undefined for the data seen (a ROC AUC over one class) makes <see cref="Compute()"/>
/// throw an <see cref="UndefinedMetricException"/>; in a run it is reported as NaN with a warning
/// (<see cref="EpochCompleted.Warnings"/>) unless <see cref="FailWhenUndefined"/> is set.
/// </remarks>
public abstract class Metric : IDisposable
{
    private int _directBatches;

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

    /// <summary>
    /// Whether an undefined value (see <see cref="UndefinedMetricException"/>) fails the epoch, and so the
    /// run, instead of being reported as NaN with a warning in <see cref="EpochCompleted.Warnings"/>.
    /// Defaults to false: the epoch and the other metrics go on, as scikit-learn warns and returns NaN.
    /// </summary>
    public bool FailWhenUndefined { get; init; }

    /// <summary>Forgets everything seen; called at the start of every epoch.</summary>
    public abstract void Reset();

    /// <summary>Accumulates one batch. Must not keep the batch's tensors, and should not copy to the host.</summary>
    /// <param name="batch">The batch that just completed; its tensors are valid only during this call.</param>
    public abstract void Update(BatchCompleted batch);

    /// <summary>
    /// Accumulates one batch given as tensors, for scoring outside a run: exactly
    /// <see cref="Update(BatchCompleted)"/> on a batch holding this output and target (no input, no
    /// loss), with gradients disabled as in a run. Metrics that read the step's loss need a real batch.
    /// </summary>
    /// <param name="output">The model's output, with the batch's samples along the first dimension.</param>
    /// <param name="target">The target, as the metric expects it.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tensors do not fit the metric; the message says what it expects.</exception>
    public void Update(torch.Tensor output, torch.Tensor target)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var size = output.Dimensions == 0 ? 1 : output.size(0);
        Update(new BatchCompleted(Stage.Validation, 1, 0, TimeSpan.Zero, ++_directBatches, size, null, target, output, null));
    }

    /// <summary>
    /// Scores tensors in one call: <see cref="Reset"/>, <see cref="Update(torch.Tensor, torch.Tensor)"/>,
    /// then <see cref="Compute()"/>.
    /// </summary>
    /// <param name="output">The model's output, with the samples along the first dimension.</param>
    /// <param name="target">The target, as the metric expects it.</param>
    /// <returns>The value over these samples.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The tensors do not fit the metric.</exception>
    /// <exception cref="UndefinedMetricException">The value is undefined for these samples.</exception>
    public double Compute(torch.Tensor output, torch.Tensor target)
    {
        Reset();
        _directBatches = 0;
        Update(output, target);
        return Compute();
    }

    /// <summary>Computes the value over everything seen since <see cref="Reset"/>.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">No sample was seen since the last reset.</exception>
    /// <exception cref="UndefinedMetricException">The value is undefined for the samples seen (an <see cref="InvalidOperationException"/>).</exception>
    public abstract double Compute();

    /// <summary>
    /// The values this metric reports. By default the single value of <see cref="Compute()"/> under
    /// <see cref="Name"/>, or NaN with <see cref="MetricValue.UndefinedReason"/> when it is undefined;
    /// metrics with several values (per-class scores) override this, reporting the same names every epoch.
    /// </summary>
    /// <returns>The values, each with a unique name.</returns>
    /// <exception cref="InvalidOperationException">No sample was seen since the last reset.</exception>
    public virtual IEnumerable<MetricValue> ComputeValues()
    {
        double value;
        try
        {
            value = Compute();
        }
        catch (UndefinedMetricException e)
        {
            return [Undefined(Name, e.Reason)];
        }

        return [new MetricValue(Name, value, HigherIsBetter)];
    }

    /// <summary>
    /// The tables this metric reports besides its values, such as a confusion matrix, each under a name
    /// unique within the stage; they reach reporters through <see cref="EpochCompleted.Matrices"/>.
    /// None by default.
    /// </summary>
    /// <returns>The named matrices; none when undefined.</returns>
    public virtual IEnumerable<KeyValuePair<string, MetricMatrix>> ComputeMatrices() => [];

    /// <summary>An undefined value: NaN, with the reason.</summary>
    /// <param name="name">The value's name.</param>
    /// <param name="reason">Why it is undefined.</param>
    /// <returns>The value.</returns>
    protected MetricValue Undefined(string name, string reason) =>
        new(name, double.NaN, HigherIsBetter) { UndefinedReason = reason };

    /// <summary>Throws the standard error for an undefined value.</summary>
    /// <param name="reason">Why it is undefined, a phrase such as "the targets hold only negatives this epoch".</param>
    /// <exception cref="UndefinedMetricException">Always.</exception>
    protected void ThrowUndefined(string reason) => throw new UndefinedMetricException(Name, reason);

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
