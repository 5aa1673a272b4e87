using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// The recall (TP / (TP + FN), the fraction of actual positives found) over an epoch, from
/// an exact confusion matrix counted on the device. Multi-class: output [N, C], target class
/// indices [N] or one-hot / probability rows [N, C]; binary: one logit or probability per sample
/// with <see cref="ClassificationScore.Threshold"/>. Averaged over all <c>numClasses</c> classes as scikit-learn's
/// <c>recall_score(labels=range(C), zero_division=0)</c>. Named <c>recall_macro</c>, <c>recall_micro</c>,
/// <c>recall_weighted</c> or <c>recall_binary</c> (after the average); per-class values <c>&lt;name&gt;_class_&lt;k&gt;</c>.
/// </summary>
public sealed class Recall : ClassificationScore
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes (2 for binary), at least 2.</param>
    /// <param name="average">How classes are combined. Defaults to <see cref="Average.Macro"/>.</param>
    /// <param name="name">The reported name. Defaults to <c>recall_</c> and the average: <c>recall_macro</c>, <c>recall_micro</c>, <c>recall_weighted</c>, <c>recall_binary</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 2.</exception>
    /// <exception cref="ArgumentException"><see cref="Average.Binary"/> with other than 2 classes.</exception>
    public Recall(int numClasses, Average average = Average.Macro, string? name = null)
        : base(numClasses, average, name, "recall", ScoreType.Recall)
    {
    }
}
