namespace TinyDl.Internal;

/// <summary>
/// Follows the monitored metric over epochs: the best epoch so far and the top k epochs, best first
/// (an earlier epoch wins a tie; NaN is worse than any number).
/// </summary>
internal sealed class MonitorTracker(Stage stage, string metric, bool? higherIsBetter, int keep)
{
    private readonly List<EpochValue> _top = [];
    private bool? _higherIsBetter = higherIsBetter;

    public int BestEpoch { get; private set; }

    public double BestValue { get; private set; } = double.NaN;

    public IReadOnlyList<EpochValue> Top => _top;

    /// <summary>Adopts the state saved in a checkpoint when it monitored the same metric the same way.</summary>
    public void Restore(MonitorRecord? saved)
    {
        if (saved is null || saved.Stage != stage.ToString() || saved.Metric != metric
            || (_higherIsBetter is { } direction && direction != saved.HigherIsBetter))
        {
            return;
        }

        _higherIsBetter = saved.HigherIsBetter;
        BestEpoch = saved.BestEpoch;
        BestValue = saved.BestValue;
        _top.Clear();
        _top.AddRange(saved.Top.Take(keep));
    }

    /// <summary>Records an epoch; returns its record and the epochs that left the top k.</summary>
    /// <exception cref="InvalidOperationException">The epoch lacks the monitored metric.</exception>
    public (MonitorRecord Record, IReadOnlyList<int> Dropped) Add(int epoch, IReadOnlyDictionary<Stage, MetricValues> values)
    {
        if (!values.TryGetValue(stage, out var stageValues) || stageValues.FirstOrDefault(v => v.Name == metric) is not { Name: not null } found)
        {
            var available = string.Join(", ", values.SelectMany(kv => kv.Value.Names.Select(n => $"{kv.Key.ToName()} {n}")));
            throw new InvalidOperationException(
                $"The checkpointer monitors the {stage.ToName()} metric '{metric}', which epoch {epoch} did not report (it reported: {available}). Set Checkpointer.Monitor and MonitorStage to one of these, or Monitor to null to keep only last.ckpt.");
        }

        var higherIsBetter = _higherIsBetter ??= found.HigherIsBetter;
        var value = found with { HigherIsBetter = higherIsBetter };
        if (BestEpoch == 0 || value.IsBetterThan(BestValue))
        {
            BestEpoch = epoch;
            BestValue = value.Value;
        }

        var dropped = new List<int>();
        if (keep > 0)
        {
            var position = _top.FindIndex(t => value.IsBetterThan(t.Value));
            _top.Insert(position < 0 ? _top.Count : position, new EpochValue(epoch, value.Value));
            while (_top.Count > keep)
            {
                dropped.Add(_top[^1].Epoch);
                _top.RemoveAt(_top.Count - 1);
            }
        }

        var record = new MonitorRecord
        {
            Stage = stage.ToString(),
            Metric = metric,
            HigherIsBetter = higherIsBetter,
            Value = value.Value,
            BestEpoch = BestEpoch,
            BestValue = BestValue,
            Top = [.. _top],
        };
        return (record, dropped);
    }
}
