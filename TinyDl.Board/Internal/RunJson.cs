using TinyDl.Runs;

namespace TinyDl.Board.Internal;

/// <summary>The runs table's rows as JSON objects.</summary>
internal static class RunJson
{
    public static object Row(RunEntry run) => new
    {
        run = run.Run,
        status = run.Status ?? "damaged",
        damaged = run.IsDamaged,
        problem = run.Problem,
        epoch = run.Manifest?.Epoch,
        epochs = run.Manifest?.Epochs,
        globalStep = run.Manifest?.GlobalStep,
        updatedAt = run.Manifest?.UpdatedAt,
        hyperparameters = run.Manifest?.Hyperparameters.ToDictionary(h => h.Key, h => BoardData.Text(h.Value), StringComparer.Ordinal) ?? [],
        metrics = run.Manifest?.Metrics.ToDictionary(m => m.Key, m => new { final = Number(m.Value.Final), best = Number(m.Value.Best), bestEpoch = m.Value.BestEpoch, higherIsBetter = m.Value.HigherIsBetter }, StringComparer.Ordinal) ?? [],
    };

    public static object List(IReadOnlyList<RunEntry> all, IReadOnlyList<HyperparameterFilter> filters)
    {
        var runs = all.Where(r => r.Manifest is null ? filters.Count == 0 : filters.All(f => f.Matches(r.Manifest))).ToList();
        return new
        {
            count = runs.Count,
            damaged = runs.Count(r => r.IsDamaged),
            hyperparameters = all.Where(r => r.Manifest is not null).SelectMany(r => r.Manifest!.Hyperparameters.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
            metrics = BoardData.BaseMetrics(all),
            columns = all.Where(r => r.Manifest is not null).SelectMany(r => r.Manifest!.Metrics.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
            runs = runs.Select(Row),
        };
    }

    // JSON has no NaN: an undefined value is null.
    private static double? Number(double value) => double.IsFinite(value) ? value : null;
}
