using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// One classification batch as predicted and true class indices (int64 [N]) with, per sample, whether
/// its target is valid (a class in [0, C), a row that is one-hot or a probability distribution; null
/// when every target of this type is) and whether its scores hold a NaN; on the batch's device, without
/// a host transfer.
/// </summary>
internal readonly record struct ClassBatch(Tensor Predicted, Tensor Labels, Tensor? Valid, Tensor Nan, bool Rows, long Classes);

/// <summary>
/// Turns a classification batch into a <see cref="ClassBatch"/>. Multi-class: output [N, C],
/// prediction = argmax (ties to the lower class); target class indices [N] (integer) or one-hot /
/// probability rows [N, C] (argmax). Binary: output [N] or [N, 1], one logit or probability, positive
/// when above the threshold; target [N] or [N, 1] of 0/1 (integers, booleans, or floats in [0, 1] where
/// at least 0.5 counts as 1).
/// </summary>
internal static class ClassLabels
{
    /// <summary>How far a target row's sum may be from 1 and still be a probability distribution (float16 rounding).</summary>
    private const double RowTolerance = 1e-3;

    public static ClassBatch Of(string metric, BatchCompleted batch, long? numClasses, double threshold, ScoreKind? kind)
    {
        Shapes.RequireScores(metric, batch);
        var output = Shapes.Output(metric, batch);
        if (Shapes.IsSingleScore(output))
        {
            if (numClasses is not null and not 2)
            {
                throw Shapes.Error(metric, $"an output of shape [N, {numClasses}] (one score per class); a single score per sample is binary, for 2 classes", batch);
            }

            var scores = output.reshape(-1);
            var (labels, binaryValid) = BinaryTarget(metric, batch);
            return new ClassBatch(Binary(scores, threshold, RequireKind(metric, kind, batch)), labels, binaryValid, scores.isnan(), false, 2);
        }

        if (output.Dimensions != 2 || (numClasses is not null && output.size(1) != numClasses))
        {
            throw Shapes.Error(metric, numClasses is null ? "an output of shape [N, C] or [N]" : $"an output of shape [N, {numClasses}] or, for 2 classes, [N]", batch);
        }

        // max propagates NaN, so its values flag the rows with a NaN score at no extra reduction.
        var (classes, valid, rows) = MultiClassTarget(metric, batch);
        var (top, predicted) = output.max(1);
        return new ClassBatch(predicted, classes, valid, top.isnan(), rows, output.size(1));
    }

    /// <summary>Class indices [N] of a multi-class target for an output [N, C], with the valid samples.</summary>
    public static (Tensor Labels, Tensor Valid, bool Rows) MultiClassTarget(string metric, BatchCompleted batch)
    {
        var output = Shapes.Output(metric, batch);
        var target = Shapes.Target(metric, batch);
        var classes = output.size(1);
        if (target.Dimensions == 1 && Shapes.IsIntegral(target))
        {
            var labels = target.dtype == ScalarType.Int64 ? target : target.to_type(ScalarType.Int64);
            return (labels, InRange(labels, classes), false);
        }

        if (target.Dimensions == 2 && target.size(1) == classes)
        {
            return (target.argmax(1), IsDistribution(target), true);
        }

        throw Shapes.Error(metric, $"a target of class indices [N] (an integer type) or one-hot / probability rows [N, {classes}]", batch);
    }

    /// <summary>Whether each class index is in [0, C): two element-wise operations, no reduction.</summary>
    public static Tensor InRange(Tensor labels, long classes) => labels.clamp(0, classes - 1).eq(labels);

    /// <summary>Per row of [N, C, ...]: true when the row (along dimension 1) is one-hot or a probability distribution, false for a multi-label row.</summary>
    public static Tensor IsDistribution(Tensor rows)
    {
        if (rows.dtype == ScalarType.Bool)
        {
            return rows.sum(1L, type: ScalarType.Int64).eq(1);
        }

        var sums = rows.sum(1L, type: ScalarType.Float64).sub_(1).abs_().le(RowTolerance);
        return sums.logical_and_(rows.amin(1L).ge(0));
    }

    /// <summary>Labels 0/1 [N] of a binary target, with the samples whose target is 0/1 (or, for floats, in [0, 1]); null when all are (booleans).</summary>
    public static (Tensor Labels, Tensor? Valid) BinaryTarget(string metric, BatchCompleted batch)
    {
        var target = Shapes.Target(metric, batch);
        if (!Shapes.IsSingleScore(target))
        {
            throw Shapes.Error(metric, "a binary target of shape [N] or [N, 1] holding 0 or 1", batch);
        }

        var flat = target.reshape(-1);
        if (flat.dtype == ScalarType.Bool)
        {
            return (flat.to_type(ScalarType.Int64), null);
        }

        // Stryker disable once Block : the floating-point path gives integer 0/1 labels the same labels and validity
        if (Shapes.IsIntegral(flat))
        {
            var labels = flat.to_type(ScalarType.Int64);
            return (labels, InRange(labels, 2));
        }

        return (flat.ge(0.5).to_type(ScalarType.Int64), flat.clamp(0, 1).eq(flat));
    }

    /// <summary>The positive-class decision for one score per sample, as 0/1 int64.</summary>
    public static Tensor Binary(Tensor scores, double threshold, ScoreKind kind)
    {
        var cut = kind == ScoreKind.Logits ? Math.Log(threshold / (1 - threshold)) : threshold;
        return scores.gt(cut).to_type(ScalarType.Int64);
    }

    /// <summary>The score kind a metric was given, required where it changes the result (a threshold, a sigmoid).</summary>
    public static ScoreKind RequireKind(string metric, ScoreKind? kind, BatchCompleted batch) => kind
        ?? throw new InvalidOperationException($"Metric '{metric}' must be told whether its scores (output {Shapes.Of(Shapes.Output(metric, batch))}) are logits or probabilities, since the two give different values; set Scores = ScoreKind.Logits or ScoreKind.Probabilities.");

    public static void CheckThreshold(double threshold, string paramName)
    {
        if (!(threshold > 0 && threshold < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, threshold, "The threshold is a probability strictly between 0 and 1.");
        }
    }
}
