using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// Base of <see cref="RocAuc"/> and <see cref="AveragePrecision"/>: a ranking score over every score
/// of the epoch, binary or one-vs-rest macro. Ranking needs all of them, so the epoch's scores and
/// targets stay on their device (N x C values) until the next <see cref="Reset"/>: the one per-epoch
/// memory growth in TinyDl.
/// </summary>
public abstract class RankingMetric : Metric
{
    private readonly RankingCore _core;

    private protected RankingMetric(int? numClasses, string name)
        : base(name, higherIsBetter: true)
    {
        _core = new RankingCore(name, numClasses is null ? null : ConfusionCounts.CheckClasses(numClasses.Value));
    }

    /// <summary>Whether multi-class outputs are logits (softmax applied) or probabilities. Defaults to <see cref="ScoreKind.Logits"/>.</summary>
    public ScoreKind Scores { get; init; } = ScoreKind.Logits;

    /// <summary>Whether to report every class's one-vs-rest value too, as <c>&lt;name&gt;_class_&lt;k&gt;</c>. Defaults to false.</summary>
    public bool PerClass { get; init; }

    /// <inheritdoc />
    public sealed override void Reset() => _core.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    public sealed override void Update(BatchCompleted batch) => _core.Update(batch);

    /// <inheritdoc />
    public sealed override double Compute() => PerColumn().Average();

    /// <inheritdoc />
    public sealed override IEnumerable<MetricValue> ComputeValues()
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

    /// <summary>The score of one column (the binary target, or one class against the rest).</summary>
    private protected abstract double Score((double Auc, double Ap, double Positives, double Negatives) column, string which);

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

        var columns = _core.Compute(Scores);
        return [.. columns.Select((column, c) => Score(column, columns.Length == 1 ? "the targets" : $"the one-vs-rest targets of class {c}"))];
    }
}
