using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// The state shared by <see cref="RocAuc"/> and <see cref="AveragePrecision"/>: the epoch's scores in
/// a <see cref="ScoreBuffer"/>, ranked once in <see cref="Compute"/> with one host transfer. Binary:
/// output [N] or [N, 1], target 0/1 [N] or [N, 1]. Multi-class one-vs-rest: output [N, C], target
/// class indices [N] or one-hot / probability rows [N, C] (argmax); logits go through a softmax.
/// </summary>
internal sealed class RankingCore(string metric, int? numClasses) : IDisposable
{
    private readonly ScoreBuffer _buffer = new();
    private (double Auc, double Ap, double Positives, double Negatives)[]? _columns;

    public long Samples => _buffer.Samples;

    public void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        Shapes.RequireScores(metric, batch);
        using var scope = NewDisposeScope();
        var output = Shapes.Output(metric, batch);
        Tensor scores, targets;
        if (Shapes.IsSingleScore(output) && numClasses is null or 2)
        {
            scores = output.reshape(-1, 1);
            targets = ClassLabels.BinaryTarget(metric, batch).eq(1).reshape(-1, 1);
        }
        else if (output.Dimensions == 2 && output.size(1) >= 2 && (numClasses is null || output.size(1) == numClasses))
        {
            scores = output;
            var labels = ClassLabels.MultiClassTarget(metric, batch);
            targets = labels.unsqueeze(1).eq(arange(output.size(1), ScalarType.Int64, labels.device));
        }
        else
        {
            throw Shapes.Error(metric, numClasses is null ? "scores of shape [N] (binary) or [N, C] (one-vs-rest)" : $"scores of shape [N, {numClasses}]", batch);
        }

        if (_buffer.Columns != 0 && scores.size(1) != _buffer.Columns)
        {
            throw Shapes.Error(metric, $"{_buffer.Columns} score column(s) per sample like the epoch's earlier batches", batch);
        }

        _buffer.Append(scores, targets);
        _columns = null;
    }

    /// <summary>Per column (1 for binary, C for one-vs-rest): AUC, AP and the counts of positives and negatives.</summary>
    public (double Auc, double Ap, double Positives, double Negatives)[] Compute(ScoreKind kind)
    {
        if (_columns is not null)
        {
            return _columns;
        }

        double[] host;
        using (NewDisposeScope())
        {
            var (scores, targets) = _buffer.All();
            if (scores.size(1) > 1 && kind == ScoreKind.Logits)
            {
                scores = scores.softmax(1);
            }

            var sums = Ranking.Sums(scores, targets);
            var invalid = scores.size(1) > 1 ? targets.sum(1L).ne(1).sum() : zeros([], ScalarType.Float64, scores.device);
            host = HostTransfers.ToArray(cat([sums.flatten(), invalid.to_type(ScalarType.Float64).reshape(1)], 0));
        }

        var k = (host.Length - 1) / 4;
        if (host[^1] > 0)
        {
            throw new InvalidOperationException($"Metric '{metric}' saw {host[^1]} samples whose class index is outside [0, {k}).");
        }

        _columns = new (double, double, double, double)[k];
        for (var c = 0; c < k; c++)
        {
            var (positives, negatives) = (host[(2 * k) + c], host[(3 * k) + c]);
            _columns[c] = (host[c] / (positives * negatives), positives == 0 ? 0 : host[k + c] / positives, positives, negatives);
        }

        return _columns;
    }

    public void Reset()
    {
        _buffer.Reset();
        _columns = null;
    }

    public void Dispose() => _buffer.Dispose();
}
