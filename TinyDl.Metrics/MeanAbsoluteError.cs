using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The mean absolute error over every element of the epoch, as TorchSharp's <c>l1_loss</c> with mean
/// reduction over the whole epoch. Output [N] or [N, D...]; target of the same shape. Named <c>mae</c>.
/// </summary>
public sealed class MeanAbsoluteError : MeanMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>mae</c>.</param>
    public MeanAbsoluteError(string name = "mae")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch)
    {
        var (output, target) = RegressionPair.Of(Name, batch);
        return ((output - target).abs().sum(), output.numel());
    }
}
