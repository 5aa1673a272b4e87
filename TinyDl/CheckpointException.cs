namespace TinyDl;

/// <summary>
/// A checkpoint cannot be used: damaged or truncated, of another experiment or data, not fitting the model,
/// or missing where a resume requires one. The message says which file, why, and what to do; when other
/// checkpoints of the run are intact, <see cref="Alternatives"/> lists them.
/// </summary>
public sealed class CheckpointException : TinyDlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="path">The checkpoint file or directory concerned.</param>
    /// <param name="alternatives">Intact checkpoints to resume from instead.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CheckpointException(string message, string path, IReadOnlyList<string>? alternatives = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        Alternatives = alternatives ?? [];
    }

    /// <summary>The checkpoint file (or directory) concerned.</summary>
    public string Path { get; }

    /// <summary>Intact checkpoint files of the same run that a resume could start from instead; empty when there are none.</summary>
    public IReadOnlyList<string> Alternatives { get; }
}
