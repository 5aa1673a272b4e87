namespace TinyDl.Examples;

/// <summary>The command line is wrong; the message names the option and the bad value. The programs show it with their usage text and exit with code 2.</summary>
public sealed class OptionsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OptionsException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public OptionsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public OptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The option at fault (such as <c>--lr</c>), or the stray argument.</summary>
    public string? Option { get; init; }

    /// <summary>The bad value, when there was one.</summary>
    public string? Value { get; init; }
}
