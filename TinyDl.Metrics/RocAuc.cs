using TinyDl.Metrics.Internal;

namespace TinyDl.Metrics;

/// <summary>
/// The area under the ROC curve over a whole epoch, as scikit-learn's <c>roc_auc_score</c>: binary
/// from one score per sample (output [N] or [N, 1], target 0/1), or one-vs-rest macro average from
/// [N, C] scores (target class indices [N] or one-hot / probability rows [N, C]). Tied scores are
/// handled as scikit-learn does (one ROC point per distinct score, trapezoid area). Named <c>roc_auc</c>.
/// </summary>
/// <remarks>
/// Ranking needs every score of the epoch, so this metric keeps the epoch's scores and targets on
/// their device (N x C values) until the next <see cref="Reset"/>: the one per-epoch memory growth
/// in TinyDl. Binary scores are ranked as given (a sigmoid does not change the order); multi-class
/// logits go through a softmax first, as the one-vs-rest AUC is defined on probabilities.
/// </remarks>
public sealed class RocAuc : Metric
{
    private readonly RankingCore _core;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes, checked against the output; null accepts any (binary when one score per sample).</param>
    /// <param name="name">The reported name. Defaults to <c>roc_auc</c>.</param>
    public RocAuc(int? numClasses = null, string name = "roc_auc")
        : base(name, higherIsBetter: true)
    {
        _core = new RankingCore(name, numClasses is null ? null : ConfusionCounts.CheckClasses(numClasses.Value));
    }

    /// <summary>Whether multi-class outputs are logits (softmax applied) or probabilities. Defaults to <see cref="ScoreKind.Logits"/>.</summary>
    public ScoreKind Scores { get; init; } = ScoreKind.Logits;

    /// <summary>Whether to report every class's one-vs-rest AUC too, as <c>&lt;name&gt;_class_&lt;k&gt;</c>. Defaults to false.</summary>
    public bool PerClass { get; init; }

    /// <inheritdoc />
    public override void Reset() => _core.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    public override void Update(BatchCompleted batch) => _core.Update(batch);

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or the targets (of some class, for one-vs-rest) hold only positives or only negatives, for which scikit-learn raises too.</exception>
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

        var columns = _core.Compute(Scores);
        for (var c = 0; c < columns.Length; c++)
        {
            if (columns[c].Positives == 0 || columns[c].Negatives == 0)
            {
                var which = columns.Length == 1 ? "the targets" : $"the one-vs-rest targets of class {c}";
                throw new InvalidOperationException($"Metric '{Name}' is undefined: {which} hold only {(columns[c].Positives == 0 ? "negatives" : "positives")} this epoch (scikit-learn raises here too).");
            }
        }

        return [.. columns.Select(c => c.Auc)];
    }
}
