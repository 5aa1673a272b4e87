using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The fraction of samples whose true class is among the <c>k</c> highest scores, over an epoch.
/// Output [N, C] with C at least k; target class indices [N] or one-hot / probability rows [N, C].
/// Named <c>top&lt;k&gt;_accuracy</c>, such as <c>top5_accuracy</c>.
/// </summary>
public sealed class TopKAccuracy : MeanMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="k">How many of the highest scores count, at least 1.</param>
    /// <param name="name">The reported name. Defaults to <c>top&lt;k&gt;_accuracy</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is not positive.</exception>
    public TopKAccuracy(int k, string? name = null)
        : base(name ?? $"top{k}_accuracy", higherIsBetter: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        K = k;
    }

    /// <summary>How many of the highest scores count.</summary>
    public int K { get; }

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch)
    {
        Shapes.RequireScores(Name, batch);
        var output = Shapes.Output(Name, batch);
        if (output.Dimensions != 2 || output.size(1) < K)
        {
            throw Shapes.Error(Name, $"an output of shape [N, C] with at least {K} classes", batch);
        }

        var labels = ClassLabels.MultiClassTarget(Name, batch);
        var top = output.topk(K, 1).indexes;
        return (top.eq(labels.unsqueeze(1)).any(1).sum(), batch.Size);
    }
}
