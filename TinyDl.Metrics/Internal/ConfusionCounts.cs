using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// A C x C confusion matrix (rows: true class, columns: predicted class, as scikit-learn) counted on
/// the device with one scatter-add per batch. Pairs with a class outside [0, C) are counted in an
/// extra cell instead of being checked per batch (that would cost a host transfer); the epoch's
/// matrix is refused if any were seen. The matrix is read with one host transfer and kept until the
/// next update or reset, so several readers cost one transfer.
/// </summary>
internal sealed class ConfusionCounts(string metric, int numClasses) : IDisposable
{
    private readonly DeviceSum _counts = new();
    private long[,]? _matrix;

    public int NumClasses { get; } = numClasses;

    public long Samples { get; private set; }

    public static int CheckClasses(int numClasses, int minimum = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, minimum);
        return numClasses;
    }

    public void Add(Tensor predicted, Tensor labels)
    {
        long c = NumClasses;
        var valid = labels.ge(0).logical_and_(labels.lt(c)).logical_and_(predicted.ge(0)).logical_and_(predicted.lt(c));
        var index = where(valid, labels * c + predicted, c * c);
        var cells = zeros(c * c + 1, ScalarType.Float64, labels.device)
            .scatter_add_(0, index, ones(index.shape, ScalarType.Float64, labels.device));
        _counts.Add(cells);
        Samples += labels.size(0);
        _matrix = null;
    }

    /// <summary>The matrix; one host transfer per epoch.</summary>
    /// <exception cref="InvalidOperationException">A target or prediction was outside [0, C).</exception>
    public long[,] Matrix()
    {
        if (_matrix is not null)
        {
            return _matrix;
        }

        var cells = _counts.ToArray();
        var c = NumClasses;
        if (cells[c * c] > 0)
        {
            throw new InvalidOperationException($"Metric '{metric}' saw {cells[c * c]} samples whose target or predicted class is outside [0, {c}); check numClasses and the targets.");
        }

        var matrix = new long[c, c];
        for (var i = 0; i < c * c; i++)
        {
            matrix[i / c, i % c] = (long)cells[i];
        }

        _matrix = matrix;
        return matrix;
    }

    public void Reset()
    {
        _counts.Reset();
        Samples = 0;
        _matrix = null;
    }

    public void Dispose() => _counts.Dispose();
}
