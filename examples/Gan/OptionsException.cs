namespace Gan;

/// <summary>The command line is wrong; the message names the option and the bad value. The program shows it with the usage text and exits with code 2.</summary>
public sealed class OptionsException : Exception
{
    public OptionsException()
    {
    }

    public OptionsException(string message)
        : base(message)
    {
    }

    public OptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The option at fault (such as <c>--lr</c>), or the stray argument.</summary>
    public string? Option { get; init; }

    /// <summary>The bad value, when there was one.</summary>
    public string? Value { get; init; }
}
