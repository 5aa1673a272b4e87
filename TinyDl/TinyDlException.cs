namespace TinyDl;

/// <summary>
/// Base of the exceptions TinyDl throws for situations a user can act on (a run directory in use, a
/// damaged checkpoint, a non-finite loss, a failing participant): the message says what happened and
/// what to do, and the properties of the subclass carry what a handler needs (which file, which run).
/// Programs map them to exit codes; see the README's "Run directories" section.
/// </summary>
public abstract class TinyDlException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected TinyDlException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
