namespace TinyDl.Serving;

/// <summary>
/// The model cannot take the request now: its queue is full, it is still loading, or the service is
/// shutting down. The endpoints answer 503 with <c>Retry-After</c>.
/// </summary>
public sealed class ModelUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelUnavailableException()
        : this("The model is not available.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Why the model cannot take the request.</param>
    public ModelUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">Why the model cannot take the request.</param>
    /// <param name="innerException">The cause.</param>
    public ModelUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The seconds the client should wait before trying again. Defaults to 1.</summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
