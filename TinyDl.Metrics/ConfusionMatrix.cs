using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The epoch's C x C confusion matrix (rows: true class, columns: predicted class, as scikit-learn),
/// counted on the device. Every epoch it reaches reporters as <see cref="EpochCompleted.Matrices"/>
/// under its name (<see cref="ComputeMatrices"/>); <see cref="ComputeMatrix"/> reads it from the
/// instance. Inputs as <see cref="Accuracy"/>. Named <c>confusion_matrix</c>.
/// </summary>
/// <remarks>
/// A matrix is not one number, so by default <see cref="ComputeValues"/> reports no value (the matrix
/// still goes to <see cref="EpochCompleted.Matrices"/>); set <see cref="ReportCells"/> to report every
/// cell as <c>&lt;name&gt;_&lt;true&gt;_&lt;predicted&gt;</c> too. <see cref="Compute()"/> returns the trace
/// over the total, which is the accuracy. The matrix is read from the device once per epoch however
/// often it is asked for.
/// </remarks>
public sealed class ConfusionMatrix : Metric
{
    private readonly ConfusionCounts _counts;
    private readonly double _threshold = 0.5;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes (2 for binary), at least 2.</param>
    /// <param name="name">The reported name. Defaults to <c>confusion_matrix</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 2.</exception>
    public ConfusionMatrix(int numClasses, string name = "confusion_matrix")
        : base(name, higherIsBetter: true)
    {
        _counts = new ConfusionCounts(name, ConfusionCounts.CheckClasses(numClasses));
    }

    /// <summary>For one score per sample: the probability above which a sample is predicted positive. Defaults to 0.5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not strictly between 0 and 1.</exception>
    public double Threshold
    {
        get => _threshold;
        init
        {
            ClassLabels.CheckThreshold(value, nameof(Threshold));
            _threshold = value;
        }
    }

    /// <summary>
    /// Whether a single score per sample is a logit or a probability. Defaults to null, which an output
    /// of one score per sample refuses (the threshold would mean different things); [N, C] outputs do not need it.
    /// </summary>
    public ScoreKind? Scores { get; init; }

    /// <summary>Whether <see cref="ComputeValues"/> reports every cell (C x C values). Defaults to false: no value, only the matrix.</summary>
    public bool ReportCells { get; init; }

    /// <inheritdoc />
    public override void Reset() => _counts.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        _counts.Add(ClassLabels.Of(Name, batch, _counts.NumClasses, Threshold, Scores));
    }

    /// <summary>The epoch's matrix: element [i, j] counts samples of true class i predicted as j.</summary>
    /// <returns>A new C x C array.</returns>
    /// <exception cref="InvalidOperationException">No samples, or an invalid target (named by its position in the epoch).</exception>
    /// <exception cref="UndefinedMetricException">A score of the epoch was NaN.</exception>
    public long[,] ComputeMatrix()
    {
        if (_counts.Samples == 0)
        {
            ThrowNoSamples();
        }

        return _counts.Matrix();
    }

    /// <summary>The trace of the matrix over its total: the accuracy.</summary>
    /// <returns>The fraction of samples on the diagonal.</returns>
    /// <exception cref="InvalidOperationException">No samples were seen, or an invalid target.</exception>
    /// <exception cref="UndefinedMetricException">A score of the epoch was NaN.</exception>
    public override double Compute()
    {
        var matrix = ComputeMatrix();
        double trace = 0;
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            trace += matrix[i, i];
        }

        return trace / _counts.Samples;
    }

    /// <inheritdoc />
    public override IEnumerable<MetricValue> ComputeValues()
    {
        if (!ReportCells)
        {
            return [];
        }

        var c = _counts.NumClasses;
        string CellName(int i) => $"{Name}_{i / c}_{i % c}";
        if (_counts.Samples > 0 && _counts.UndefinedReason() is { } reason)
        {
            return Enumerable.Range(0, c * c).Select(i => new MetricValue(CellName(i), double.NaN, i / c == i % c) { UndefinedReason = reason });
        }

        var matrix = ComputeMatrix();
        return Enumerable.Range(0, c * c).Select(i => new MetricValue(CellName(i), matrix[i / c, i % c], i / c == i % c));
    }

    /// <summary>The epoch's matrix under the metric's name, as counts; none when a score was NaN (the warning says so) or no sample was seen.</summary>
    /// <returns>One named matrix, or none.</returns>
    /// <exception cref="InvalidOperationException">An invalid target was seen.</exception>
    public override IEnumerable<KeyValuePair<string, MetricMatrix>> ComputeMatrices()
    {
        if (_counts.Samples == 0 || _counts.UndefinedReason() is not null)
        {
            return [];
        }

        var matrix = ComputeMatrix();
        var cells = new double[matrix.GetLength(0), matrix.GetLength(1)];
        for (var i = 0; i < matrix.GetLength(0); i++)
        {
            for (var j = 0; j < matrix.GetLength(1); j++)
            {
                cells[i, j] = matrix[i, j];
            }
        }

        return [new(Name, new MetricMatrix(cells))];
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _counts.Dispose();
        }

        base.Dispose(disposing);
    }
}
