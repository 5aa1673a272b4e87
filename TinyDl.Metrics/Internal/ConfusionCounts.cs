using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// A C x C confusion matrix (rows: true class, columns: predicted class, as scikit-learn) counted on
/// the device with one scatter-add per batch. Samples with an invalid target and samples with a NaN
/// score are counted in two extra cells instead of being checked per batch (that would cost a host
/// transfer): the first fail the epoch's matrix naming the first such sample, the second make it
/// undefined. The counts are read with one host transfer and kept until the next update or reset.
/// </summary>
internal sealed class ConfusionCounts(string metric, int numClasses) : IDisposable
{
    private readonly DeviceSum _counts = new();
    private readonly TargetCheck _check = new(metric);
    private double[]? _cells;

    public int NumClasses { get; } = numClasses;

    public long Samples { get; private set; }

    public static int CheckClasses(int numClasses, int minimum = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numClasses, minimum);
        return numClasses;
    }

    public void Add(ClassBatch batch)
    {
        long c = NumClasses;
        _check.Add(batch.Valid, batch.Rows, batch.Labels.size(0));
        var index = (batch.Labels * c) + batch.Predicted;
        if (batch.Valid is not null)
        {
            index = index.masked_fill_(batch.Valid.logical_not(), c * c);
        }

        index = index.masked_fill_(batch.Nan, (c * c) + 1);
        var cells = zeros((c * c) + 2, ScalarType.Float64, index.device)
            .scatter_add_(0, index, ones(index.shape, ScalarType.Float64, index.device));
        _counts.Add(cells);
        Samples += index.size(0);
        _cells = null;
    }

    /// <summary>Why the matrix is undefined (NaN scores), or null; reads the counts.</summary>
    /// <exception cref="InvalidOperationException">An invalid target was seen.</exception>
    public string? UndefinedReason()
    {
        var cells = Read();
        var nan = cells[(NumClasses * NumClasses) + 1];
        return nan > 0 ? HitRate.NanReason(nan) : null;
    }

    /// <summary>The matrix; one host transfer per epoch.</summary>
    /// <exception cref="InvalidOperationException">An invalid target was seen.</exception>
    /// <exception cref="UndefinedMetricException">A score was NaN.</exception>
    public long[,] Matrix()
    {
        if (UndefinedReason() is { } reason)
        {
            throw new UndefinedMetricException(metric, reason);
        }

        var cells = Read();
        var c = NumClasses;
        var matrix = new long[c, c];
        for (var i = 0; i < c * c; i++)
        {
            matrix[i / c, i % c] = (long)cells[i];
        }

        return matrix;
    }

    public void Reset()
    {
        _counts.Reset();
        _check.Reset();
        Samples = 0;
        _cells = null;
    }

    public void Dispose()
    {
        _counts.Dispose();
        _check.Dispose();
    }

    private double[] Read()
    {
        if (_cells is null)
        {
            using var scope = NewDisposeScope();
            _cells = _counts.ToArray();
        }

        var invalid = _cells[NumClasses * NumClasses];
        return invalid > 0 ? throw _check.Error(invalid, NumClasses) : _cells;
    }
}
