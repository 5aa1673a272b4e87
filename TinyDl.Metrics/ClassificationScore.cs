using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// Base of <see cref="Precision"/>, <see cref="Recall"/> and <see cref="F1Score"/>: a score computed
/// from an exact confusion matrix counted on the device, averaged over classes as chosen.
/// </summary>
public abstract class ClassificationScore : Metric
{
    private readonly ClassScoreCore _core;
    private readonly double _threshold = 0.5;

    private protected ClassificationScore(int numClasses, Average average, string? name, string baseName, ScoreType type)
        : base(name ?? ClassScoreCore.NameOf(baseName, average), higherIsBetter: true)
    {
        _core = new ClassScoreCore(Name, numClasses, ClassScoreCore.Check(numClasses, average), type);
        Average = average;
    }

    /// <summary>How the per-class scores are combined.</summary>
    public Average Average { get; }

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

    /// <summary>Whether to report every class's value too, as <c>&lt;name&gt;_class_&lt;k&gt;</c> (<c>f1_macro_class_2</c>). Defaults to false.</summary>
    public bool PerClass { get; init; }

    /// <inheritdoc />
    public sealed override void Reset() => _core.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    public sealed override void Update(BatchCompleted batch) => _core.Update(batch, Threshold, Scores);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or an invalid target (a class outside [0, numClasses), a multi-label row), named by its position in the epoch.</exception>
    /// <exception cref="UndefinedMetricException">A score of the epoch was NaN.</exception>
    public sealed override double Compute()
    {
        if (_core.Samples == 0)
        {
            ThrowNoSamples();
        }

        return _core.Compute();
    }

    /// <inheritdoc />
    public sealed override IEnumerable<MetricValue> ComputeValues()
    {
        if (_core.Samples == 0)
        {
            ThrowNoSamples();
        }

        return _core.Values(PerClass);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _core.Dispose();
        }

        base.Dispose(disposing);
    }
}
