using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// The area under the ROC curve over a whole epoch, as scikit-learn's <c>roc_auc_score</c>: binary
/// from one score per sample (output [N] or [N, 1], target 0/1), or one-vs-rest macro average from
/// [N, C] scores (target class indices [N] or one-hot / probability rows [N, C]; set
/// <see cref="RankingMetric.Scores"/>). Tied scores are handled as scikit-learn does (one ROC point per
/// distinct score, trapezoid area). Named <c>roc_auc</c>.
/// </summary>
/// <remarks>
/// Targets (of some class, for one-vs-rest) that hold only positives or only negatives leave the area
/// undefined, where scikit-learn raises: <see cref="Metric.Compute()"/> throws an
/// <see cref="UndefinedMetricException"/>, and a run reports NaN with a warning.
/// </remarks>
public sealed class RocAuc : RankingMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes, checked against the output; null accepts any (binary when one score per sample).</param>
    /// <param name="name">The reported name. Defaults to <c>roc_auc</c>.</param>
    public RocAuc(int? numClasses = null, string name = "roc_auc")
        : base(numClasses, name)
    {
    }

    /// <inheritdoc />
    private protected override string? UndefinedReason(RankedColumn column, string which) =>
        column.Positives == 0 || column.Negatives == 0
            ? $"{which} hold only {(column.Positives == 0 ? "negatives" : "positives")} this epoch"
            : null;

    /// <inheritdoc />
    private protected override double Score(RankedColumn column) => column.Auc;
}
