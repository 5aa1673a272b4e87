using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The fraction of samples whose true class is among the <c>k</c> highest scores, over an epoch. Ties
/// are ordered as <see cref="Accuracy"/>'s argmax orders them (the lower class first), so top-1 equals
/// accuracy. Output [N, C] with C at least k; target class indices [N] or one-hot / probability rows
/// [N, C]. Named <c>top&lt;k&gt;_accuracy</c>, such as <c>top5_accuracy</c>.
/// </summary>
/// <remarks>Invalid targets and NaN scores are handled as by <see cref="Accuracy"/>.</remarks>
public sealed class TopKAccuracy : Metric
{
    private readonly HitRate _hits;

    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest scores count, at least 1.</param>
    /// <param name="name">The reported name. Defaults to <c>top&lt;k&gt;_accuracy</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    public TopKAccuracy(int k, string? name = null)
        : base(name ?? $"top{k}_accuracy", higherIsBetter: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        K = k;
        _hits = new HitRate(Name);
    }

    /// <summary>How many of the highest scores count.</summary>
    public int K { get; }

    /// <inheritdoc />
    public override void Reset() => _hits.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output is not [N, C] with at least k classes, or the target does not fit it.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        Shapes.RequireScores(Name, batch);
        var output = Shapes.Output(Name, batch);
        if (output.Dimensions != 2 || output.size(1) < K)
        {
            throw Shapes.Error(Name, $"an output of shape [N, C] with at least {K} classes", batch);
        }

        using var scope = NewDisposeScope();
        var classes = output.size(1);
        var (labels, valid, rows) = ClassLabels.MultiClassTarget(Name, batch);
        var label = labels.clamp(0, classes - 1).unsqueeze(1);
        var own = output.gather(1, label);

        // The true class's rank: classes scored higher, plus tied classes of a lower index (argmax's order).
        var tiedBefore = output.eq(own).logical_and_(arange(classes, ScalarType.Int64, output.device).unsqueeze(0).lt(label));
        var rank = output.gt(own).logical_or_(tiedBefore).sum(1);
        _hits.Add(rank.lt(K), valid, output.isnan().any(1), rows, classes);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or an invalid target (named by its position in the epoch).</exception>
    /// <exception cref="UndefinedMetricException">A score of the epoch was NaN.</exception>
    public override double Compute() => _hits.Compute();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hits.Dispose();
        }

        base.Dispose(disposing);
    }
}
