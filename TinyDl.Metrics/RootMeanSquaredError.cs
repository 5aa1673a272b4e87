using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The square root of the mean squared error over every element of the epoch (not a mean of
/// per-batch roots). Output [N] or [N, D...]; target of the same shape. Named <c>rmse</c>.
/// </summary>
public sealed class RootMeanSquaredError : MeanMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>rmse</c>.</param>
    public RootMeanSquaredError(string name = "rmse")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    public override double Compute() => Math.Sqrt(base.Compute());

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch)
    {
        var (output, target) = RegressionPair.Of(Name, batch);
        return ((output - target).square().sum(), output.numel());
    }
}
