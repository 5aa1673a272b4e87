using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// Base of <see cref="RocAuc"/> and <see cref="AveragePrecision"/>: a ranking score over every score
/// of the epoch, binary or one-vs-rest macro. Ranking needs all of them, so the epoch's scores and
/// targets stay on their device (N x C values) until the next <see cref="Reset"/>: the one per-epoch
/// memory growth in TinyDl.
/// </summary>
/// <remarks>
/// A NaN score makes the value undefined (<see cref="UndefinedMetricException"/>; NaN with a warning in
/// a run), as does a column the score cannot rank (<see cref="RocAuc"/> over one class). An invalid
/// target (a class outside [0, C), a multi-label row) fails <see cref="Compute()"/> naming the first.
/// </remarks>
public abstract class RankingMetric : Metric
{
    private readonly RankingCore _core;

    private protected RankingMetric(int? numClasses, string name)
        : base(name, higherIsBetter: true)
    {
        _core = new RankingCore(name, numClasses is null ? null : ConfusionCounts.CheckClasses(numClasses.Value));
    }

    /// <summary>
    /// Whether multi-class outputs are logits (softmax applied) or probabilities. Defaults to null, which
    /// an output of [N, C] scores refuses (the softmax changes the ranking); one score per sample ranks the
    /// same either way and does not need it.
    /// </summary>
    public ScoreKind? Scores { get; init; }

    /// <summary>Whether to report every class's one-vs-rest value too, as <c>&lt;name&gt;_class_&lt;k&gt;</c>. Defaults to false.</summary>
    public bool PerClass { get; init; }

    /// <inheritdoc />
    public sealed override void Reset() => _core.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    /// <exception cref="InvalidOperationException">[N, C] scores and <see cref="Scores"/> is not set.</exception>
    public sealed override void Update(BatchCompleted batch) => _core.Update(batch, Scores);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or an invalid target (named by its position in the epoch).</exception>
    /// <exception cref="UndefinedMetricException">The value is undefined: a NaN score, or a column it cannot rank.</exception>
    public sealed override double Compute()
    {
        var columns = PerColumn();
        var reasons = Reasons(columns);
        return reasons is null ? columns.Average(c => c.Value) : throw new UndefinedMetricException(Name, reasons);
    }

    /// <inheritdoc />
    public sealed override IEnumerable<MetricValue> ComputeValues()
    {
        var columns = PerColumn();
        var reasons = Reasons(columns);
        var values = new List<MetricValue>
        {
            reasons is null ? new MetricValue(Name, columns.Average(c => c.Value), HigherIsBetter) : Undefined(Name, reasons),
        };
        if (PerClass && columns.Length > 1)
        {
            values.AddRange(columns.Select((c, k) => c.Reason is null
                ? new MetricValue($"{Name}_class_{k}", c.Value, HigherIsBetter)
                : Undefined($"{Name}_class_{k}", c.Reason)));
        }

        return values;
    }

    /// <summary>Why one column's score is undefined, or null when it is defined.</summary>
    /// <param name="column">The column's counts.</param>
    /// <param name="which">"the targets" (binary) or "the one-vs-rest targets of class k".</param>
    private protected virtual string? UndefinedReason(RankedColumn column, string which) => null;

    /// <summary>The score of one column (the binary target, or one class against the rest).</summary>
    private protected abstract double Score(RankedColumn column);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _core.Dispose();
        }

        base.Dispose(disposing);
    }

    private static string? Reasons((double Value, string? Reason)[] columns)
    {
        var reasons = columns.Select(c => c.Reason).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        return reasons.Length == 0 ? null : string.Join("; ", reasons);
    }

    private (double Value, string? Reason)[] PerColumn()
    {
        if (_core.Samples == 0)
        {
            ThrowNoSamples();
        }

        var columns = _core.Compute(Scores);
        if (_core.NanReason is { } nan)
        {
            return [.. columns.Select(_ => (double.NaN, (string?)nan))];
        }

        return [.. columns.Select((column, c) => UndefinedReason(column, columns.Length == 1 ? "the targets" : $"the one-vs-rest targets of class {c}") is { } reason
            ? (double.NaN, (string?)reason)
            : (Score(column), null))];
    }
}
