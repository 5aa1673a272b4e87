namespace TinyDl.Runs;

/// <summary>A run directory cannot be used: it cannot be created or written, it is held by another process,
/// or it belongs to another experiment. Nothing in it was changed.</summary>
public class RunDirectoryException : TinyDlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and what to do.</param>
    /// <param name="path">The run directory.</param>
    /// <param name="innerException">The cause, if any.</param>
    public RunDirectoryException(string message, string path, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
    }

    /// <summary>The run directory.</summary>
    public string Path { get; }
}
