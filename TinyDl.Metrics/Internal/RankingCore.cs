using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>One column's ranking result: AUC, AP, the counts of positives and negatives.</summary>
internal readonly record struct RankedColumn(double Auc, double Ap, double Positives, double Negatives);

/// <summary>
/// The state shared by <see cref="RocAuc"/> and <see cref="AveragePrecision"/>: the epoch's scores in
/// a <see cref="ScoreBuffer"/>, ranked once in <see cref="Compute(ScoreKind?)"/> with one host transfer. Binary:
/// output [N] or [N, 1], target 0/1 [N] or [N, 1]. Multi-class one-vs-rest: output [N, C], target
/// class indices [N] or one-hot / probability rows [N, C] (argmax); logits go through a softmax.
/// Invalid targets are kept as -1 rows and fail <see cref="Compute(ScoreKind?)"/> naming the first; NaN scores
/// make every column undefined (<see cref="NanReason"/>).
/// </summary>
internal sealed class RankingCore(string metric, int? numClasses) : IDisposable
{
    private readonly ScoreBuffer _buffer = new();
    private RankedColumn[]? _columns;
    private bool _rows;
    private bool _indices;

    public long Samples => _buffer.Samples;

    /// <summary>Why every column is undefined (NaN scores), or null; valid after <see cref="Compute(ScoreKind?)"/>.</summary>
    public string? NanReason { get; private set; }

    public void Update(BatchCompleted batch, ScoreKind? kind)
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
        Tensor? valid;
        bool rows;
        if (Shapes.IsSingleScore(output) && numClasses is null or 2)
        {
            scores = output.reshape(-1, 1);
            var (labels, binaryValid) = ClassLabels.BinaryTarget(metric, batch);
            (targets, valid, rows) = (labels.eq(1).reshape(-1, 1), binaryValid, false);
        }
        else if (output.Dimensions == 2 && output.size(1) >= 2 && (numClasses is null || output.size(1) == numClasses))
        {
            scores = output;
            var (labels, classValid, fromRows) = ClassLabels.MultiClassTarget(metric, batch);

            // Softmax of probabilities is not the identity and changes the one-vs-rest ranking: the kind matters.
            if (kind is null)
            {
                throw new InvalidOperationException($"Metric '{metric}' ranks one-vs-rest scores, whose softmax depends on whether they are logits or probabilities; set Scores = ScoreKind.Logits or ScoreKind.Probabilities.");
            }

            (targets, valid, rows) = (labels.unsqueeze(1).eq(arange(output.size(1), ScalarType.Int64, labels.device)), classValid, fromRows);
        }
        else
        {
            throw Shapes.Error(metric, numClasses is null ? "scores of shape [N] (binary) or [N, C] (one-vs-rest)" : $"scores of shape [N, {numClasses}]", batch);
        }

        if (_buffer.Columns != 0 && scores.size(1) != _buffer.Columns)
        {
            throw Shapes.Error(metric, $"{_buffer.Columns} score column(s) per sample like the epoch's earlier batches", batch);
        }

        // An invalid target becomes a row of -1: Compute counts them and finds the first in the kept targets.
        _rows |= rows;
        _indices |= !rows;
        targets = targets.to_type(ScalarType.Int8);
        _buffer.Append(scores, valid is null ? targets : targets.masked_fill_(valid.logical_not().unsqueeze(1), -1));
        _columns = null;
    }

    /// <summary>Per column (1 for binary, C for one-vs-rest): AUC, AP and the counts of positives and negatives.</summary>
    /// <exception cref="InvalidOperationException">An invalid target was seen.</exception>
    public RankedColumn[] Compute(ScoreKind? kind)
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

            var invalidRows = targets.select(1, 0).lt(0);
            var invalid = invalidRows.sum().to_type(ScalarType.Float64).reshape(1);
            var first = invalidRows.to_type(ScalarType.Float64).argmax().to_type(ScalarType.Float64).reshape(1);
            var nan = scores.isnan().any(1).sum().to_type(ScalarType.Float64).reshape(1);
            var sums = Ranking.Sums(scores, targets.clamp_min(0));
            host = HostTransfers.ToArray(cat([sums.flatten(), first, invalid, nan], 0));
        }

        var k = (host.Length - 3) / 4;
        if (host[^2] > 0)
        {
            throw TargetCheck.Error(metric, host[^2], k == 1 ? 2 : k, host[^3], _indices, _rows);
        }

        NanReason = host[^1] > 0 ? HitRate.NanReason(host[^1]) : null;
        _columns = new RankedColumn[k];
        for (var c = 0; c < k; c++)
        {
            var (positives, negatives) = (host[(2 * k) + c], host[(3 * k) + c]);
            _columns[c] = new RankedColumn(host[c] / (positives * negatives), positives == 0 ? 0 : host[k + c] / positives, positives, negatives);
        }

        return _columns;
    }

    public void Reset()
    {
        _buffer.Reset();
        _columns = null;
        _rows = _indices = false;
        NanReason = null;
    }

    public void Dispose() => _buffer.Dispose();
}
