namespace Regression;

/// <summary>The command line is wrong; the message names the option and the bad value. The program shows it with the usage text and exits with code 2.</summary>
internal sealed class OptionsException(string message) : Exception(message)
{
    /// <summary>The option at fault (such as <c>--lr</c>), or the stray argument.</summary>
    public required string Option { get; init; }
}
