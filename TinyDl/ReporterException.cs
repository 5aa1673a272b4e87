namespace TinyDl;

/// <summary>A reporter failed while handling an event; the run stops with this error.</summary>
public sealed class ReporterException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ReporterException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ReporterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The reporter's exception.</param>
    public ReporterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
