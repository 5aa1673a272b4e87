using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The mean squared error over every element of the epoch, as TorchSharp's <c>mse_loss</c> with mean
/// reduction over the whole epoch. Output [N] or [N, D...]; target of the same shape. Named <c>mse</c>.
/// </summary>
public sealed class MeanSquaredError : MeanMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>mse</c>.</param>
    public MeanSquaredError(string name = "mse")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch)
    {
        var (output, target) = RegressionPair.Of(Name, batch);
        return ((output - target).square().sum(), output.numel());
    }
}
