namespace TinyDl.Examples;

/// <summary>An example's data is missing, unreadable or malformed; the message says which file and how to get it. Exit code 3.</summary>
public sealed class DataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the data.</param>
    public DataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong with the data.</param>
    /// <param name="innerException">The cause.</param>
    public DataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
