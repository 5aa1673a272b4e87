using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// The precision (TP / (TP + FP), the fraction of predicted positives that are right) over an epoch, from
/// an exact confusion matrix counted on the device. Multi-class: output [N, C], target class
/// indices [N] or one-hot / probability rows [N, C]; binary: one logit or probability per sample
/// with <see cref="ClassificationScore.Threshold"/>. Averaged over all <c>numClasses</c> classes as scikit-learn's
/// <c>precision_score(labels=range(C), zero_division=0)</c>. Named <c>precision_macro</c>, <c>precision_micro</c>,
/// <c>precision_weighted</c> or <c>precision_binary</c> (after the average); per-class values <c>&lt;name&gt;_class_&lt;k&gt;</c>.
/// </summary>
public sealed class Precision : ClassificationScore
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes (2 for binary), at least 2.</param>
    /// <param name="average">How classes are combined. Defaults to <see cref="Average.Macro"/>.</param>
    /// <param name="name">The reported name. Defaults to <c>precision_</c> and the average: <c>precision_macro</c>, <c>precision_micro</c>, <c>precision_weighted</c>, <c>precision_binary</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 2.</exception>
    /// <exception cref="ArgumentException"><see cref="Average.Binary"/> with other than 2 classes.</exception>
    public Precision(int numClasses, Average average = Average.Macro, string? name = null)
        : base(numClasses, average, name, "precision", ScoreType.Precision)
    {
    }
}
