using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// The mean loss over an epoch: the step's own (mean-reduced) batch loss, weighted by the batch's
/// size, so a short last batch counts for what it is. Reuses the loss the step computed; never
/// computes it again. Named <c>loss</c>.
/// </summary>
public sealed class Loss : Metric
{
    private readonly SampleMean _mean = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>loss</c>.</param>
    public Loss(string name = "loss")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    public override void Reset() => _mean.Reset();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The batch carries no loss (a validator without a loss function).</exception>
    /// <exception cref="ArgumentException">The loss is not a single value.</exception>
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

        if (batch.Loss.numel() != 1)
        {
            throw new ArgumentException($"Metric '{Name}' expects the batch's mean loss, a single value; got shape {Shapes.Of(batch.Loss)}. Use Mean for per-sample values.", nameof(batch));
        }

        _mean.Add(batch.Loss, batch.Size, weight: batch.Size);
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_mean.IsEmpty)
        {
            ThrowNoSamples();
        }

        return _mean.Mean();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mean.Dispose();
        }

        base.Dispose(disposing);
    }
}
