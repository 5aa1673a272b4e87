namespace TinyDl;

/// <summary>
/// A metric result that is a table rather than one number, such as a confusion matrix (rows: true
/// class, columns: predicted class). Immutable and free of tensors, so reporters may keep it or hand it
/// to another thread; carried by <see cref="EpochCompleted.Matrices"/>.
/// </summary>
public sealed class MetricMatrix
{
    private readonly double[,] _cells;

    /// <summary>Creates a matrix from a copy of <paramref name="cells"/>.</summary>
    /// <param name="cells">The values, [row, column].</param>
    /// <exception cref="ArgumentNullException"><paramref name="cells"/> is null.</exception>
    public MetricMatrix(double[,] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        _cells = (double[,])cells.Clone();
    }

    /// <summary>The number of rows.</summary>
    public int Rows => _cells.GetLength(0);

    /// <summary>The number of columns.</summary>
    public int Columns => _cells.GetLength(1);

    /// <summary>The value at <paramref name="row"/>, <paramref name="column"/>, both counted from 0.</summary>
    /// <param name="row">The row.</param>
    /// <param name="column">The column.</param>
    /// <exception cref="IndexOutOfRangeException">The row or column is outside the matrix.</exception>
    public double this[int row, int column] => _cells[row, column];

    /// <summary>A copy of the values.</summary>
    /// <returns>A new [row, column] array.</returns>
    public double[,] ToArray() => (double[,])_cells.Clone();
}
