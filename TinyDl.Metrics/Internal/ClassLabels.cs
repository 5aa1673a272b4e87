using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// Turns a classification batch into predicted and true class indices (int64, shape [N]), on the
/// batch's device and without a host transfer. Multi-class: output [N, C], prediction = argmax;
/// target class indices [N] (integer) or one-hot / probability rows [N, C] (argmax). Binary: output
/// [N] or [N, 1], one logit or probability, positive when above the threshold; target [N] or
/// [N, 1] of 0/1 (integers, booleans, or floats where at least 0.5 counts as 1).
/// </summary>
internal static class ClassLabels
{
    public static (Tensor Predicted, Tensor Labels) Of(string metric, BatchCompleted batch, long? numClasses, double threshold, ScoreKind kind)
    {
        Shapes.RequireScores(metric, batch);
        var output = Shapes.Output(metric, batch);
        var target = Shapes.Target(metric, batch);
        if (Shapes.IsSingleScore(output))
        {
            if (numClasses is not null and not 2)
            {
                throw Shapes.Error(metric, $"an output of shape [N, {numClasses}] (one score per class); a single score per sample is binary, for 2 classes", batch);
            }

            return (Binary(output.reshape(-1), threshold, kind), BinaryTarget(metric, batch));
        }

        if (output.Dimensions != 2 || (numClasses is not null && output.size(1) != numClasses))
        {
            throw Shapes.Error(metric, numClasses is null ? "an output of shape [N, C] or [N]" : $"an output of shape [N, {numClasses}] or, for 2 classes, [N]", batch);
        }

        return (output.argmax(1), MultiClassTarget(metric, batch));
    }

    public static Tensor MultiClassTarget(string metric, BatchCompleted batch)
    {
        var output = Shapes.Output(metric, batch);
        var target = Shapes.Target(metric, batch);
        if (target.Dimensions == 1 && Shapes.IsIntegral(target))
        {
            return target.dtype == ScalarType.Int64 ? target : target.to_type(ScalarType.Int64);
        }

        if (target.Dimensions == 2 && target.size(1) == output.size(1))
        {
            return target.argmax(1);
        }

        throw Shapes.Error(metric, $"a target of class indices [N] (an integer type) or one-hot / probability rows [N, {output.size(1)}]", batch);
    }

    public static Tensor BinaryTarget(string metric, BatchCompleted batch)
    {
        var target = Shapes.Target(metric, batch);
        if (!Shapes.IsSingleScore(target))
        {
            throw Shapes.Error(metric, "a binary target of shape [N] or [N, 1] holding 0 or 1", batch);
        }

        var flat = target.reshape(-1);
        return Shapes.IsIntegral(flat) ? flat.to_type(ScalarType.Int64) : flat.ge(0.5).to_type(ScalarType.Int64);
    }

    /// <summary>The positive-class decision for one score per sample, as 0/1 int64.</summary>
    public static Tensor Binary(Tensor scores, double threshold, ScoreKind kind)
    {
        var cut = kind == ScoreKind.Logits ? Math.Log(threshold / (1 - threshold)) : threshold;
        return scores.gt(cut).to_type(ScalarType.Int64);
    }

    public static void CheckThreshold(double threshold, string paramName)
    {
        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, threshold, "The threshold is a probability strictly between 0 and 1.");
        }
    }
}
