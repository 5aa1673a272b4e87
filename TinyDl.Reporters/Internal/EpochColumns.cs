namespace TinyDl.Reporters.Internal;

/// <summary>The metric columns of one epoch, in the order of its stages then its metrics: <c>stage_metric</c> with the value and whether the epoch set its best.</summary>
internal static class EpochColumns
{
    public static IEnumerable<(string Column, MetricValue Value, bool Best)> Of(IReadOnlyList<EpochCompleted> stages) =>
        stages.SelectMany(p => p.Metrics.Select(m => (p.Stage.MetricKey(m.Name), m, p.IsBest(m.Name))));

    public static IEnumerable<(string Column, MetricValue Value, bool Best)> Of(EpochSummary epoch, IReadOnlyList<Stage> stages) =>
        stages.Where(epoch.Metrics.ContainsKey).SelectMany(s => epoch.Metrics[s].Select(m => (s.MetricKey(m.Name), m, false)));
}
