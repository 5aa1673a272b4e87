namespace TinyDl.Internal;

/// <summary>Refuses to resume a run whose experiment or data differ from its checkpoint's.</summary>
internal static class CheckpointMismatch
{
    /// <exception cref="InvalidOperationException">Something differs and <paramref name="allow"/> is false.</exception>
    public static void ThrowIfAny(Checkpoint checkpoint, Experiment? experiment, IReadOnlyDictionary<string, string> fingerprints, bool allow)
    {
        var differences = Differences(checkpoint, experiment, fingerprints).ToList();
        if (differences.Count == 0 || allow)
        {
            return;
        }

        throw new InvalidOperationException(
            $"Cannot resume from '{checkpoint.Path}' (epoch {checkpoint.Epoch}): {string.Join("; ", differences)}. "
            + "Start a new run (without resume, or in another directory), or set Checkpointer.AllowMismatch = true to resume anyway.");
    }

    private static IEnumerable<string> Differences(Checkpoint checkpoint, Experiment? experiment, IReadOnlyDictionary<string, string> fingerprints)
    {
        if (checkpoint.ExperimentId != experiment?.Id)
        {
            yield return $"the hyperparameters differ (the checkpoint's experiment is {Describe(checkpoint.ExperimentName, checkpoint.ExperimentId)}, this run's is {Describe(experiment?.Name, experiment?.Id)})";
        }

        foreach (var key in checkpoint.Fingerprints.Keys.Union(fingerprints.Keys).Order(StringComparer.Ordinal))
        {
            var saved = checkpoint.Fingerprints.GetValueOrDefault(key);
            var now = fingerprints.GetValueOrDefault(key);
            if (saved != now)
            {
                yield return $"the '{key}' data fingerprint differs (checkpoint {saved ?? "none"}, this run {now ?? "none"})";
            }
        }
    }

    private static string Describe(string? name, string? id) => id is null ? "none" : $"'{name}' (id {id})";
}
