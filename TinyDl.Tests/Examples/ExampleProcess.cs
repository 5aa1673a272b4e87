using System.Diagnostics;

namespace TinyDl.Tests.Examples;

/// <summary>Runs an example as a user runs it: a child process with redirected output.</summary>
internal static class ExampleProcess
{
    /// <summary>Runs the Fashion-MNIST example with these arguments and waits for it.</summary>
    /// <returns>The exit code, and standard output followed by standard error.</returns>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        using var process = Start("FashionMnist", arguments);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Log(arguments, process.ExitCode, error.Result);
        return (process.ExitCode, output + error.Result);
    }

    /// <summary>Runs the Fashion-MNIST example and keeps standard output and standard error apart.</summary>
    /// <returns>The exit code, standard output and standard error.</returns>
    public static (int ExitCode, string Output, string Error) RunApart(params string[] arguments)
    {
        using var process = Start("FashionMnist", arguments);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Log(arguments, process.ExitCode, error.Result);
        return (process.ExitCode, output, error.Result);
    }

    /// <summary>Writes the command, its exit code and its error lines to the test's output, so a test log shows what a user saw.</summary>
    private static void Log(string[] arguments, int exitCode, string error) =>
        TestContext.Out.WriteLine($"FashionMnist {string.Join(' ', arguments.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a))} -> exit {exitCode}{(error.Length > 0 ? "\n  " + error.TrimEnd().Replace("\n", "\n  ", StringComparison.Ordinal) : "")}");

    /// <summary>Starts an example (the name of its assembly, such as <c>Gan</c>) with redirected standard output and error.</summary>
    /// <returns>The running process; the caller reads its streams and waits for it.</returns>
    public static Process Start(string example, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, example + ".dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
