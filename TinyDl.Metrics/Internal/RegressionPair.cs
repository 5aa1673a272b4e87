using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>Validates a regression batch and returns output and target as float64 of one shape, on their device.</summary>
internal static class RegressionPair
{
    /// <summary>Output [N] or [N, D...] floating point; target of the same shape ([N] and [N, 1] are interchangeable).</summary>
    public static (Tensor Output, Tensor Target) Of(string metric, BatchCompleted batch)
    {
        Shapes.RequireScores(metric, batch);
        var output = Shapes.Output(metric, batch);
        var target = Shapes.Target(metric, batch);
        if (Shapes.IsSingleScore(output) && Shapes.IsSingleScore(target))
        {
            output = output.reshape(-1);
            target = target.reshape(-1);
        }

        if (!output.shape.SequenceEqual(target.shape) || target.dtype == ScalarType.Bool)
        {
            throw Shapes.Error(metric, "a numeric target of the output's shape", batch);
        }

        return (output.to_type(ScalarType.Float64), target.to_type(ScalarType.Float64));
    }
}
