namespace TinyDl;

/// <summary>A participant of the run (a reporter, control, checkpointer or your own) failed while handling an event; the run stops with this error.</summary>
public sealed class ReporterException : TinyDlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="participant">The failing participant's name.</param>
    /// <param name="innerException">The participant's exception.</param>
    public ReporterException(string message, string participant, Exception? innerException = null)
        : base(message, innerException)
    {
        Participant = participant;
    }

    /// <summary>The name of the participant that failed, such as <c>CsvReporter</c>.</summary>
    public string Participant { get; }
}
