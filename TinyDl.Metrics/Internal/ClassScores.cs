namespace TinyDl.Metrics.Internal;

/// <summary>Which per-class score a <see cref="ClassScoreCore"/> reports.</summary>
internal enum ScoreType
{
    Precision,
    Recall,
    F1,
}

/// <summary>
/// Precision, recall and F1 from a confusion matrix, as scikit-learn with <c>labels=range(C)</c> and
/// <c>zero_division=0</c>: a score whose denominator is zero is 0.
/// </summary>
internal static class ClassScores
{
    public static double[] PerClass(long[,] matrix, ScoreType type)
    {
        var c = matrix.GetLength(0);
        var scores = new double[c];
        for (var k = 0; k < c; k++)
        {
            var (tp, predicted, actual) = Counts(matrix, k);
            scores[k] = Score(type, tp, predicted, actual);
        }

        return scores;
    }

    public static double Averaged(long[,] matrix, ScoreType type, Average average)
    {
        var c = matrix.GetLength(0);
        var perClass = PerClass(matrix, type);
        switch (average)
        {
            case Average.Binary:
                return perClass[1];
            case Average.Macro:
                return perClass.Average();
            case Average.Weighted:
                double weighted = 0, total = 0;
                for (var k = 0; k < c; k++)
                {
                    var support = Counts(matrix, k).Actual;
                    weighted += support * perClass[k];
                    total += support;
                }

                // Stryker disable once Conditional : unreachable, every counted sample has a true class, so the total support is positive
                return total == 0 ? 0 : weighted / total;
            default:
                double tp = 0, predicted = 0, actual = 0;
                for (var k = 0; k < c; k++)
                {
                    var counts = Counts(matrix, k);
                    tp += counts.Tp;
                    predicted += counts.Predicted;
                    actual += counts.Actual;
                }

                return Score(type, tp, predicted, actual);
        }
    }

    private static double Score(ScoreType type, double tp, double predicted, double actual)
    {
        var denominator = type switch
        {
            ScoreType.Precision => predicted,
            ScoreType.Recall => actual,
            _ => predicted + actual,
        };
        var numerator = type == ScoreType.F1 ? 2 * tp : tp;
        return denominator == 0 ? 0 : numerator / denominator;
    }

    private static (double Tp, double Predicted, double Actual) Counts(long[,] matrix, int k)
    {
        var c = matrix.GetLength(0);
        double predicted = 0, actual = 0;
        for (var j = 0; j < c; j++)
        {
            predicted += matrix[j, k];
            actual += matrix[k, j];
        }

        return (matrix[k, k], predicted, actual);
    }
}
