using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// ROC AUC and average precision of every column of a score matrix, on the device, with ties handled
/// as scikit-learn does: the curves have one point per distinct score (threshold), so tied scores
/// move together. ROC AUC is the trapezoid area under (FPR, TPR) through those points; average
/// precision is sum over thresholds of (R_n - R_{n-1}) P_n.
/// </summary>
internal static class Ranking
{
    /// <summary>
    /// Returns, per column, [AUC numerator (area in counts), AP numerator, positives, negatives]
    /// as a float64 tensor [4, K]; divide on the host after one transfer.
    /// </summary>
    public static Tensor Sums(Tensor scores, Tensor targets)
    {
        var (sorted, order) = scores.sort(0, descending: true);
        var y = targets.gather(0, order);
        var tps = y.cumsum(0);
        var fps = (1 - y).cumsum(0);
        var k = scores.size(1);
        var last = ones([1, k], ScalarType.Bool, scores.device);
        var n = scores.size(0);
        var isLastOfTie = cat([sorted.narrow(0, 1, n - 1).ne(sorted.narrow(0, 0, n - 1)), last], 0);
        var previousTps = PreviousAtTieEnds(tps, isLastOfTie);
        var previousFps = PreviousAtTieEnds(fps, isLastOfTie);
        var area = where(isLastOfTie, (fps - previousFps) * (tps + previousTps) / 2, 0).sum(0L);
        var precisionSteps = where(isLastOfTie, (tps - previousTps) * tps / (tps + fps), 0).sum(0L);
        return stack([area, precisionSteps, tps[-1], fps[-1]], 0);
    }

    /// <summary>For every row, the cumulative count at the end of the previous group of tied scores.</summary>
    private static Tensor PreviousAtTieEnds(Tensor cumulative, Tensor isLastOfTie)
    {
        var atEnds = where(isLastOfTie, cumulative, 0);
        var shifted = cat([zeros([1, cumulative.size(1)], cumulative.dtype, cumulative.device), atEnds.narrow(0, 0, atEnds.size(0) - 1)], 0);
        return shifted.cummax(0).values;
    }
}
