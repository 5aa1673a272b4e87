using TinyDl.Runs;

namespace TinyDl.Examples;

/// <summary>
/// The examples' top-level handler: an ordinary error (TinyDl's own exceptions, I/O errors, a wrong
/// command line) becomes one line on standard error, <c>error: ...</c>, and the exit code of
/// <see cref="ExitCodes"/>; an unexpected one says so and how to get details. The stack trace is written
/// only when the environment variable <c>TINYDL_DEBUG</c> is <c>1</c>.
/// </summary>
public static class ProgramErrors
{
    /// <summary>The environment variable that asks for stack traces.</summary>
    public const string DebugVariable = "TINYDL_DEBUG";

    /// <summary>Runs a program's body and maps what it throws to a message and an exit code.</summary>
    /// <param name="body">The program; returns its exit code.</param>
    /// <param name="error">Where messages go; defaults to standard error.</param>
    /// <returns>The exit code.</returns>
    public static int Run(Func<int> body, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        error ??= Console.Error;
        try
        {
            return body();
        }
        catch (Exception exception)
        {
            var (code, message) = Describe(exception);
            error.WriteLine($"error: {message}");
            if (Environment.GetEnvironmentVariable(DebugVariable) == "1")
            {
                error.WriteLine(exception);
            }

            return code;
        }
    }

    /// <summary>The exit code and the one-line message for an exception.</summary>
    /// <param name="exception">What was thrown.</param>
    /// <returns>The code and the message.</returns>
    public static (int Code, string Message) Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var storage = Find<IOException>(exception) is { } io && exception is not (RunDirectoryException or CheckpointException) ? io : null;
        return exception switch
        {
            OptionsException => (ExitCodes.Usage, exception.Message),
            DataException => (ExitCodes.Data, OneLine(exception.Message)),
            RunDirectoryException or CheckpointException => (ExitCodes.RunDirectory, OneLine(exception.Message)),
            NonFiniteValueException => (ExitCodes.RunFailed, OneLine(exception.Message)),
            _ when storage is not null => (ExitCodes.Storage, OneLine(exception is ReporterException ? exception.Message : storage.Message)),
            UnauthorizedAccessException => (ExitCodes.Storage, OneLine(exception.Message)),
            TinyDlException => (ExitCodes.RunFailed, OneLine(exception.Message)),
            DllNotFoundException => (ExitCodes.RunFailed, OneLine(exception.Message)),
            _ => (ExitCodes.RunFailed, $"{OneLine(exception.Message)} ({exception.GetType().Name}; set {DebugVariable}=1 for the stack trace)"),
        };
    }

    private static T? Find<T>(Exception? exception)
        where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
