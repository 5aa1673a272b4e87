using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// Average precision over a whole epoch, as scikit-learn's <c>average_precision_score</c>:
/// sum over distinct score thresholds of (R_n - R_{n-1}) P_n, without interpolation. Binary from one
/// score per sample (output [N] or [N, 1], target 0/1), or one-vs-rest macro average from [N, C]
/// scores (target class indices [N] or one-hot / probability rows [N, C]; set
/// <see cref="RankingMetric.Scores"/>). A class without positive
/// samples scores 0, as in scikit-learn (which warns). Named <c>average_precision</c>.
/// </summary>
public sealed class AveragePrecision : RankingMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes, checked against the output; null accepts any (binary when one score per sample).</param>
    /// <param name="name">The reported name. Defaults to <c>average_precision</c>.</param>
    public AveragePrecision(int? numClasses = null, string name = "average_precision")
        : base(numClasses, name)
    {
    }

    /// <inheritdoc />
    private protected override double Score(RankedColumn column) => column.Ap;
}
