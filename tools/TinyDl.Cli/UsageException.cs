namespace TinyDl.Cli;

/// <summary>A wrong command line; the message says what is wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);
