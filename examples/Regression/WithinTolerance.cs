using TinyDl;
using TinyDl.Metrics;
using static TorchSharp.torch;

namespace Regression;

/// <summary>
/// A custom metric: the fraction of predictions within a relative tolerance of their target,
/// |prediction - target| &lt;= tolerance * |target|, over every sample of the epoch. Named
/// <c>within_10pct</c> for the default tolerance of 0.1. As a <see cref="MeanMetric"/> it returns
/// each batch's (sum, count); the base class weights uneven batches exactly and reads the device once per epoch.
/// </summary>
internal sealed class WithinTolerance(double tolerance = 0.1, string name = "within_10pct") : MeanMetric(name, higherIsBetter: true)
{
    /// <summary>The relative tolerance.</summary>
    public double Tolerance { get; } = tolerance > 0 ? tolerance : throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be positive.");

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch)
    {
        var output = (batch.Output ?? throw new InvalidOperationException($"Metric '{Name}' needs the step's output.")).to_type(ScalarType.Float64);
        var target = (batch.Target ?? throw new InvalidOperationException($"Metric '{Name}' needs the batch's target.")).to_type(ScalarType.Float64);
        if (!output.shape.SequenceEqual(target.shape))
        {
            throw new ArgumentException($"Metric '{Name}' needs an output and a target of one shape; got [{string.Join(", ", output.shape)}] and [{string.Join(", ", target.shape)}].", nameof(batch));
        }

        var within = (output - target).abs() <= target.abs() * Tolerance;
        return (within.sum(), within.numel());
    }
}
