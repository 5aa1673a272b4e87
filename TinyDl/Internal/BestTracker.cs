namespace TinyDl.Internal;

/// <summary>
/// The run's best value of every metric of every stage so far, kept once per run and published with
/// every <see cref="EpochCompleted"/>. A ranked value becomes best when it improves on the best so far
/// (<see cref="MetricValue.IsBetterThan(double, double)"/>, so NaN and infinities never do); an unranked
/// value's best is its last value. The first value of a metric is kept even when it cannot be best, so
/// the metric is known; <see cref="EpochCompleted.IsBest"/> still says no for it.
/// </summary>
internal sealed class BestTracker
{
    private readonly Dictionary<Stage, List<BestValue>> _best = [];
    private readonly List<Stage> _order = [];

    /// <summary>Records one stage's epoch; returns the stage's best values after it.</summary>
    public IReadOnlyDictionary<string, BestValue> Record(Stage stage, int epoch, MetricValues values)
    {
        if (!_best.TryGetValue(stage, out var best))
        {
            _best[stage] = best = [];
            _order.Add(stage);
        }

        foreach (var value in values)
        {
            var index = best.FindIndex(b => b.Value.Name == value.Name);
            if (index < 0)
            {
                best.Add(new BestValue(value, epoch));
            }
            else if (!value.Ranked || value.IsBetterThan(best[index].Value.Value))
            {
                best[index] = new BestValue(value, epoch);
            }
        }

        return best.ToDictionary(b => b.Value.Name, StringComparer.Ordinal);
    }

    /// <summary>Replays the epochs a resumed run did before.</summary>
    public void Replay(IEnumerable<EpochSummary> history)
    {
        foreach (var epoch in history)
        {
            foreach (var (stage, values) in epoch.Metrics)
            {
                Record(stage, epoch.Epoch, values);
            }
        }
    }

    /// <summary>The best values of one stage, metrics in the order first reported; empty when the stage has none yet.</summary>
    public IReadOnlyList<BestValue> Of(Stage stage) => _best.TryGetValue(stage, out var best) ? [.. best] : [];

    /// <summary>Each stage's best values, stages in the order first seen, metrics in the order first reported.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Snapshot() =>
        _order.ToDictionary(s => s, s => new MetricValues(_best[s].Select(b => b.Value)));
}
