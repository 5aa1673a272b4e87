using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>Formatting and dtype checks shared by the metrics' validation messages.</summary>
internal static class Shapes
{
    public static string Of(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";

    public static bool IsIntegral(Tensor tensor) => tensor.dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16
        or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool;

    public static bool IsFloating(Tensor tensor) => tensor.is_floating_point();

    public static ArgumentException Error(string metric, string expected, BatchCompleted batch) =>
        new($"Metric '{metric}' expects {expected}; got output {Of(batch.Output)} ({batch.Output.dtype}) and target {Of(batch.Target)} ({batch.Target.dtype}) for a batch of {batch.Size}.", nameof(batch));

    /// <summary>Checks that the output's first dimension is the batch size and that it holds floating-point scores.</summary>
    public static void RequireScores(string metric, BatchCompleted batch)
    {
        var output = batch.Output;
        if (output.Dimensions == 0 || output.size(0) != batch.Size || !IsFloating(output))
        {
            throw Error(metric, $"a floating-point output with the batch's {batch.Size} samples along its first dimension", batch);
        }

        if (batch.Target.Dimensions == 0 || batch.Target.size(0) != batch.Size)
        {
            throw Error(metric, $"a target with the batch's {batch.Size} samples along its first dimension", batch);
        }
    }

    /// <summary>True when the output holds one score per sample: shape [N] or [N, 1].</summary>
    public static bool IsSingleScore(Tensor output) => output.Dimensions == 1 || (output.Dimensions == 2 && output.size(1) == 1);
}
