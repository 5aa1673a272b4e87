using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// The precision (TP / (TP + FP), the fraction of predicted positives that are right) over an epoch, from
/// an exact confusion matrix counted on the device. Multi-class: output [N, C], target class
/// indices [N] or one-hot / probability rows [N, C]; binary: one logit or probability per sample
/// with <see cref="Threshold"/>. Averaged over all <c>numClasses</c> classes as scikit-learn's
/// <c>precision_score(labels=range(C), zero_division=0)</c>. Named <c>precision_macro</c>, <c>precision_micro</c>,
/// <c>precision_weighted</c> or <c>precision</c> (binary); per-class values <c>precision_class_&lt;k&gt;</c>.
/// </summary>
public sealed class Precision : Metric
{
    private readonly ClassScoreCore _core;
    private readonly double _threshold = 0.5;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes (2 for binary), at least 2.</param>
    /// <param name="average">How classes are combined. Defaults to <see cref="Average.Macro"/>.</param>
    /// <param name="name">The base name; the reported name adds the average (<c>precision_macro</c>). Defaults to <c>precision</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numClasses"/> is less than 2.</exception>
    /// <exception cref="ArgumentException"><see cref="Average.Binary"/> with other than 2 classes.</exception>
    public Precision(int numClasses, Average average = Average.Macro, string name = "precision")
        : base(ClassScoreCore.NameOf(name, average), higherIsBetter: true)
    {
        _core = new ClassScoreCore(Name, name, numClasses, ClassScoreCore.Check(numClasses, average), ScoreType.Precision);
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

    /// <summary>Whether to report every class's value too, as <c>&lt;name&gt;_class_&lt;k&gt;</c>. Defaults to false.</summary>
    public bool PerClass { get; init; }

    /// <inheritdoc />
    public override void Reset() => _core.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    public override void Update(BatchCompleted batch) => _core.Update(batch, Threshold, Scores);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or a class index outside [0, numClasses) was seen.</exception>
    public override double Compute()
    {
        if (_core.Samples == 0)
        {
            ThrowNoSamples();
        }

        return _core.Compute();
    }

    /// <inheritdoc />
    public override IEnumerable<MetricValue> ComputeValues()
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
