namespace TinyDl.Runs;

/// <summary>The run directory's <c>run.json</c> belongs to another experiment; nothing in it was changed.</summary>
public sealed class RunDirectoryMismatchException : RunDirectoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The run directory.</param>
    /// <param name="experiment">The experiment that was to run there.</param>
    /// <param name="foundName">The name recorded in the directory's manifest.</param>
    /// <param name="foundId">The experiment id recorded in the directory's manifest, if any.</param>
    public RunDirectoryMismatchException(string path, Experiment experiment, string foundName, string? foundId)
        : base(
            $"The run directory '{path}' holds the run of experiment '{foundName}' (id {foundId ?? "none"}), not of '{experiment.Name}' (id {experiment.Id}); "
            + "it was left as it is. Use another --out directory, or move that run away.",
            path)
    {
        ExperimentId = experiment.Id;
        FoundId = foundId;
        FoundName = foundName;
    }

    /// <summary>The id of the experiment that was to run.</summary>
    public string ExperimentId { get; }

    /// <summary>The experiment id in the directory's manifest.</summary>
    public string? FoundId { get; }

    /// <summary>The run name in the directory's manifest.</summary>
    public string FoundName { get; }
}
