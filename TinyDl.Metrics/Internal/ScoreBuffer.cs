using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// Every score and target of an epoch, kept on their device for the ranking metrics (AUC, average
/// precision), which cannot be computed from running sums. This is TinyDl's one allowed per-epoch
/// memory growth: N x C scores (their dtype) and N x C targets (int8: 1, 0, or -1 in every column of a sample whose target was invalid), released by
/// <see cref="Reset"/> and <see cref="Dispose"/>. Batches are detached clones, outside every dispose scope.
/// </summary>
internal sealed class ScoreBuffer : IDisposable
{
    private readonly List<Tensor> _scores = [];
    private readonly List<Tensor> _targets = [];

    public long Samples { get; private set; }

    /// <summary>The number of columns: 1 for binary, C for one-vs-rest; 0 before the first batch.</summary>
    public long Columns { get; private set; }

    /// <summary>Appends a batch: scores [N, K] and 1/0/-1 targets [N, K] of the same shape.</summary>
    public void Append(Tensor scores, Tensor targets)
    {
        _scores.Add(scores.detach().clone().DetachFromDisposeScope());
        _targets.Add(targets.to_type(ScalarType.Int8).DetachFromDisposeScope());
        Columns = scores.size(1);
        // Stryker disable once Assignment : Samples is only compared with 0, which any non-zero count passes
        Samples += scores.size(0);
    }

    /// <summary>All scores, float64 [N, K], and targets, float64 [N, K], in the caller's dispose scope.</summary>
    public (Tensor Scores, Tensor Targets) All()
    {
        // Stryker disable once Equality : compacting a single tensor concatenates it with nothing, which changes no value
        if (_scores.Count > 1)
        {
            Compact();
        }

        return (_scores[0].to_type(ScalarType.Float64), _targets[0].to_type(ScalarType.Float64));
    }

    public void Reset()
    {
        foreach (var tensor in _scores.Concat(_targets))
        {
            tensor.Dispose();
        }

        _scores.Clear();
        _targets.Clear();
        Samples = 0;
        Columns = 0;
    }

    public void Dispose() => Reset();

    private void Compact()
    {
        using var scope = NewDisposeScope();
        var scores = cat(_scores, 0).DetachFromDisposeScope();
        var targets = cat(_targets, 0).DetachFromDisposeScope();
        var samples = Samples;
        Reset();
        _scores.Add(scores);
        _targets.Add(targets);
        Samples = samples;
        Columns = scores.size(1);
    }
}
