namespace TinyDl.Tests.Metrics.Support;

/// <summary>Plain C# references over the full arrays, written independently of the metrics.</summary>
internal static class Reference
{
    public static long ArgMax(float[] values, int row, int columns)
    {
        var best = 0;
        for (var j = 1; j < columns; j++)
        {
            if (values[(row * columns) + j] > values[(row * columns) + best])
            {
                best = j;
            }
        }

        return best;
    }

    public static long[] Predictions(float[] logits, int classes) =>
        [.. Enumerable.Range(0, logits.Length / classes).Select(i => ArgMax(logits, i, classes))];

    public static long[,] Confusion(long[] truth, long[] predicted, int classes)
    {
        var matrix = new long[classes, classes];
        for (var i = 0; i < truth.Length; i++)
        {
            matrix[truth[i], predicted[i]]++;
        }

        return matrix;
    }

    /// <summary>Precision, recall and F1 of each class, zero where undefined.</summary>
    public static (double P, double R, double F1, long Support)[] PerClass(long[] truth, long[] predicted, int classes)
    {
        var result = new (double, double, double, long)[classes];
        for (var k = 0; k < classes; k++)
        {
            long tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < truth.Length; i++)
            {
                tp += truth[i] == k && predicted[i] == k ? 1 : 0;
                fp += truth[i] != k && predicted[i] == k ? 1 : 0;
                fn += truth[i] == k && predicted[i] != k ? 1 : 0;
            }

            var p = tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            var r = tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            result[k] = (p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), tp + fn);
        }

        return result;
    }

    public static double[] Softmax(float[] logits, int row, int columns)
    {
        var z = Enumerable.Range(0, columns).Select(j => (double)logits[(row * columns) + j]).ToArray();
        var max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        return [.. e.Select(v => v / e.Sum())];
    }

    /// <summary>ROC AUC as the probability that a positive outranks a negative, ties counting one half.</summary>
    public static double RocAuc(double[] scores, bool[] positive)
    {
        double wins = 0, pairs = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            for (var j = 0; j < scores.Length; j++)
            {
                if (positive[i] && !positive[j])
                {
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    pairs++;
                }
            }
        }

        return wins / pairs;
    }

    /// <summary>Average precision: for every positive, the precision at its score's threshold (ties included), averaged.</summary>
    public static double AveragePrecision(double[] scores, bool[] positive)
    {
        var positives = positive.Count(p => p);
        if (positives == 0)
        {
            return 0;
        }

        double total = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (positive[i])
            {
                var above = Enumerable.Range(0, scores.Length).Where(j => scores[j] >= scores[i]).ToArray();
                total += (double)above.Count(j => positive[j]) / above.Length;
            }
        }

        return total / positives;
    }

    public static double R2(double[] predicted, double[] truth)
    {
        var mean = truth.Average();
        var residual = predicted.Zip(truth, (p, t) => (p - t) * (p - t)).Sum();
        var spread = truth.Sum(t => (t - mean) * (t - mean));
        return spread == 0 ? (residual == 0 ? 1 : 0) : 1 - (residual / spread);
    }
}
