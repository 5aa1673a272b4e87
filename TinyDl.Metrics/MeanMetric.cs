using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// Base of every metric that is a mean over samples (or elements): derive, return each batch's sum
/// and count from <see cref="Measure"/>, and the epoch's value is the sum of the sums over the sum of
/// the counts, accumulated on the device and read once per epoch. Empty batches are skipped; the
/// tensors <see cref="Measure"/> creates are freed after each batch.
/// </summary>
public abstract class MeanMetric : Metric
{
    private readonly SampleMean _mean = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name.</param>
    /// <param name="higherIsBetter">True when larger values are better.</param>
    protected MeanMetric(string name, bool higherIsBetter)
        : base(name, higherIsBetter)
    {
    }

    /// <inheritdoc />
    public sealed override void Reset() => _mean.Reset();

    /// <inheritdoc />
    public sealed override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var (sum, count) = Measure(batch);
        ArgumentNullException.ThrowIfNull(sum, "Measure().Sum");
        ArgumentOutOfRangeException.ThrowIfNegative(count, "Measure().Count");
        _mean.Add(sum, count);
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

    /// <summary>The sum this batch adds (a tensor on the batch's device, summed to one value if it is not) and the count it stands for.</summary>
    /// <param name="batch">The batch, never empty; its tensors are valid only during the call.</param>
    /// <returns>The sum and the count.</returns>
    protected abstract (Tensor Sum, long Count) Measure(BatchCompleted batch);

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
