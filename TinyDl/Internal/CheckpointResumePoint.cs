namespace TinyDl.Internal;

/// <summary>A <see cref="ResumePoint"/> from a checkpoint file: checks that it belongs to this experiment and data, then restores it.</summary>
internal sealed class CheckpointResumePoint(Checkpoint checkpoint, IReadOnlyDictionary<string, string> fingerprints, bool allowMismatch) : ResumePoint
{
    public Checkpoint Checkpoint => checkpoint;

    public override string Description => $"{Path.Combine(Path.GetFileName(Path.GetDirectoryName(checkpoint.Path)!), Path.GetFileName(checkpoint.Path))} (epoch {checkpoint.Epoch})";

    public override RunPosition Restore(IRunState run, Experiment? experiment)
    {
        ArgumentNullException.ThrowIfNull(run);
        var differences = Differences(experiment).ToList();
        if (differences.Count > 0 && !allowMismatch)
        {
            throw new CheckpointException(
                $"Cannot resume from '{checkpoint.Path}' (epoch {checkpoint.Epoch}): {string.Join("; ", differences)}. "
                + "Start a new run (without resume, or in another directory), or set Checkpointer.AllowMismatch = true to resume anyway.",
                checkpoint.Path);
        }

        return CheckpointContent.Restore(checkpoint, run);
    }

    private static string Describe(string? name, string? id) => id is null ? "none" : $"'{name}' (id {id})";

    private IEnumerable<string> Differences(Experiment? experiment)
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
}
