namespace TinyDl.Reporters;

/// <summary>A cell off the diagonal of a confusion matrix: how many samples of one class were predicted as another.</summary>
/// <param name="True">The true class's label.</param>
/// <param name="Predicted">The predicted class's label.</param>
/// <param name="Count">How many samples of <paramref name="True"/> were predicted as <paramref name="Predicted"/>.</param>
public sealed record ConfusedPair(string True, string Predicted, long Count)
{
    /// <summary>The off-diagonal cells of <paramref name="matrix"/> with a count above zero, most samples first (ties by true, then predicted class).</summary>
    /// <param name="matrix">A C x C matrix, rows the true class, columns the predicted class.</param>
    /// <param name="labels">The C class labels.</param>
    /// <param name="top">How many pairs to return at most.</param>
    /// <returns>The most confused pairs.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> or <paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">The matrix is not square or does not match the labels.</exception>
    public static IReadOnlyList<ConfusedPair> MostConfused(long[,] matrix, IReadOnlyList<string> labels, int top)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n || labels.Count != n)
        {
            throw new ArgumentException($"The matrix is {n} x {matrix.GetLength(1)} for {labels.Count} labels; it must be square with one row per label.", nameof(matrix));
        }

        var pairs = new List<(int I, int J, long Count)>();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                if (i != j && matrix[i, j] > 0)
                {
                    pairs.Add((i, j, matrix[i, j]));
                }
            }
        }

        return [.. pairs.OrderByDescending(p => p.Count).ThenBy(p => p.I).ThenBy(p => p.J).Take(top).Select(p => new ConfusedPair(labels[p.I], labels[p.J], p.Count))];
    }
}
