using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>Formatting and dtype checks shared by the metrics' validation messages.</summary>
internal static class Shapes
{
    public static string Of(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";

    // Stryker disable once Conditional,String : Error is reached only after Output() and Target() have refused a missing tensor
    private static string Describe(Tensor? tensor) => tensor is null ? "none" : $"{Of(tensor)} ({tensor.dtype})";

    public static bool IsIntegral(Tensor tensor) => tensor.dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16
        or ScalarType.Int32 or ScalarType.Int64 or ScalarType.Bool;

    public static bool IsFloating(Tensor tensor) => tensor.is_floating_point();

    public static ArgumentException Error(string metric, string expected, BatchCompleted batch) =>
        new($"Metric '{metric}' expects {expected}; got output {Describe(batch.Output)} and target {Describe(batch.Target)} for a batch of {batch.Size}.", nameof(batch));

    /// <summary>The batch's output; a clear error when the step returned none.</summary>
    public static Tensor Output(string metric, BatchCompleted batch) => batch.Output
        ?? throw new InvalidOperationException($"Metric '{metric}' needs the batch's output, but the {batch.Stage.ToName()} step returned none; set StepOutput.Output in the custom step.");

    /// <summary>The batch's target; a clear error when there is none.</summary>
    public static Tensor Target(string metric, BatchCompleted batch) => batch.Target
        ?? throw new InvalidOperationException($"Metric '{metric}' needs the batch's target, but the {batch.Stage.ToName()} batch has none; set StepOutput.Target in the custom step.");

    /// <summary>Checks that the output's first dimension is the batch size and that it holds floating-point scores.</summary>
    public static void RequireScores(string metric, BatchCompleted batch)
    {
        var output = Output(metric, batch);
        var target = Target(metric, batch);
        if (output.Dimensions == 0 || output.size(0) != batch.Size || !IsFloating(output))
        {
            throw Error(metric, $"a floating-point output with the batch's {batch.Size} samples along its first dimension", batch);
        }

        if (target.Dimensions == 0 || target.size(0) != batch.Size)
        {
            throw Error(metric, $"a target with the batch's {batch.Size} samples along its first dimension", batch);
        }
    }

    /// <summary>True when the output holds one score per sample: shape [N] or [N, 1].</summary>
    public static bool IsSingleScore(Tensor output) => output.Dimensions == 1 || (output.Dimensions == 2 && output.size(1) == 1);
}
