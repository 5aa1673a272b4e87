using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// Average precision over a whole epoch, as scikit-learn's <c>average_precision_score</c>:
/// sum over distinct score thresholds of (R_n - R_{n-1}) P_n, without interpolation. Binary from one
/// score per sample (output [N] or [N, 1], target 0/1), or one-vs-rest macro average from [N, C]
/// scores (target class indices [N] or one-hot / probability rows [N, C]). Named <c>average_precision</c>.
/// </summary>
/// <remarks>
/// Keeps the epoch's scores and targets on their device until the next <see cref="Reset"/> (the one
/// per-epoch memory growth in TinyDl). A class without positive samples scores 0, as in
/// scikit-learn (which warns). Multi-class logits go through a softmax first.
/// </remarks>
public sealed class AveragePrecision : Metric
{
    private readonly RankingCore _core;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes, checked against the output; null accepts any (binary when one score per sample).</param>
    /// <param name="name">The reported name. Defaults to <c>average_precision</c>.</param>
    public AveragePrecision(int? numClasses = null, string name = "average_precision")
        : base(name, higherIsBetter: true)
    {
        _core = new RankingCore(name, numClasses is null ? null : ConfusionCounts.CheckClasses(numClasses.Value));
    }

    /// <summary>Whether multi-class outputs are logits (softmax applied) or probabilities. Defaults to <see cref="ScoreKind.Logits"/>.</summary>
    public ScoreKind Scores { get; init; } = ScoreKind.Logits;

    /// <summary>Whether to report every class's one-vs-rest value too, as <c>&lt;name&gt;_class_&lt;k&gt;</c>. Defaults to false.</summary>
    public bool PerClass { get; init; }

    /// <inheritdoc />
    public override void Reset() => _core.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    public override void Update(BatchCompleted batch) => _core.Update(batch);

    /// <inheritdoc />
    public override double Compute() => PerColumn().Average();

    /// <inheritdoc />
    public override IEnumerable<MetricValue> ComputeValues()
    {
        var values = PerColumn();
        yield return new MetricValue(Name, values.Average(), HigherIsBetter);
        if (PerClass && values.Length > 1)
        {
            for (var c = 0; c < values.Length; c++)
            {
                yield return new MetricValue($"{Name}_class_{c}", values[c], HigherIsBetter);
            }
        }
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

    private double[] PerColumn()
    {
        if (_core.Samples == 0)
        {
            ThrowNoSamples();
        }

        return [.. _core.Compute(Scores).Select(c => c.Ap)];
    }
}
