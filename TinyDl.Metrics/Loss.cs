namespace TinyDl.Metrics;

/// <summary>
/// The mean loss over an epoch: the step's own (mean-reduced) batch loss, weighted by the batch's
/// size, so a short last batch counts for what it is. Reuses the loss the step computed; never
/// computes it again. Named <c>loss</c>.
/// </summary>
public sealed class Loss : Metric
{
    private readonly DeviceSum _sum = new();
    private long _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>loss</c>.</param>
    public Loss(string name = "loss")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    public override void Reset()
    {
        _sum.Reset();
        _count = 0;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The batch carries no loss (a validator without a loss function).</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Loss is null)
        {
            throw new InvalidOperationException($"Metric '{Name}' needs the step's loss, but the {batch.Stage.ToName()} stage computed none; give the {(batch.Stage == Stage.Train ? "Trainer" : "Validator")} a loss function.");
        }

        if (batch.Size == 0)
        {
            return;
        }

        _sum.Add(batch.Loss, batch.Size);
        _count += batch.Size;
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_count == 0)
        {
            ThrowNoSamples();
        }

        return _sum.ToDouble() / _count;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sum.Dispose();
        }

        base.Dispose(disposing);
    }
}
