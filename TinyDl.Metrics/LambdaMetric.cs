using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// A metric written as a lambda: for each batch it returns a sum (a tensor on the batch's device,
/// reduced to a scalar) and the number of samples that sum covers; the epoch's value is the total
/// sum over the total count, accumulated on the device and read once per epoch. For anything that
/// is not a ratio of sums, derive from <see cref="Metric"/> instead.
/// </summary>
/// <example><code>
/// // the fraction of samples whose largest score is above 0.9
/// new LambdaMetric("confident", b => (b.Output!.softmax(1).amax(1).gt(0.9).sum(), b.Size), higherIsBetter: true);
/// </code></example>
public sealed class LambdaMetric : MeanMetric
{
    private readonly Func<BatchCompleted, (Tensor Sum, long Count)> _update;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name.</param>
    /// <param name="update">Returns a batch's sum and count; tensors it creates are freed after the call. Called only for batches with samples.</param>
    /// <param name="higherIsBetter">True when larger values are better.</param>
    /// <exception cref="ArgumentNullException"><paramref name="update"/> is null.</exception>
    public LambdaMetric(string name, Func<BatchCompleted, (Tensor Sum, long Count)> update, bool higherIsBetter)
        : base(name, higherIsBetter)
    {
        ArgumentNullException.ThrowIfNull(update);
        _update = update;
    }

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch) => _update(batch);
}
