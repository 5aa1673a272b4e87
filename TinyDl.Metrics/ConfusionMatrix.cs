using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The epoch's C x C confusion matrix (rows: true class, columns: predicted class, as scikit-learn),
/// counted on the device. Read it with <see cref="ComputeMatrix"/>, for instance from an
/// <see cref="EpochCompleted"/> observer (before the next epoch resets it). Inputs as
/// <see cref="Accuracy"/>. Named <c>confusion_matrix</c>.
/// </summary>
/// <remarks>
/// A matrix is not one number, so by default <see cref="ComputeValues"/> reports nothing (and costs
/// nothing); set <see cref="ReportCells"/> to report every cell as <c>&lt;name&gt;_&lt;true&gt;_&lt;predicted&gt;</c>.
/// <see cref="Compute"/> returns the trace over the total, which is the accuracy. The matrix is read
/// from the device once per epoch however often it is asked for.
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

    /// <summary>Whether a single score per sample is a logit or a probability. Defaults to <see cref="ScoreKind.Logits"/>.</summary>
    public ScoreKind Scores { get; init; } = ScoreKind.Logits;

    /// <summary>Whether <see cref="ComputeValues"/> reports every cell (C x C values). Defaults to false: nothing is reported.</summary>
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
        var (predicted, labels) = ClassLabels.Of(Name, batch, _counts.NumClasses, Threshold, Scores);
        _counts.Add(predicted, labels);
    }

    /// <summary>The epoch's matrix: element [i, j] counts samples of true class i predicted as j.</summary>
    /// <returns>A new C x C array.</returns>
    /// <exception cref="InvalidOperationException">No samples, or a class index outside [0, numClasses) was seen.</exception>
    public long[,] ComputeMatrix()
    {
        if (_counts.Samples == 0)
        {
            ThrowNoSamples();
        }

        return (long[,])_counts.Matrix().Clone();
    }

    /// <summary>The trace of the matrix over its total: the accuracy.</summary>
    /// <returns>The fraction of samples on the diagonal.</returns>
    /// <exception cref="InvalidOperationException">No samples were seen.</exception>
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

        var matrix = ComputeMatrix();
        var c = matrix.GetLength(0);
        return Enumerable.Range(0, c * c).Select(i => new MetricValue($"{Name}_{i / c}_{i % c}", matrix[i / c, i % c], i / c == i % c));
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
