using System.Diagnostics;

namespace TinyDl.Tests.Examples;

/// <summary>Runs the Fashion-MNIST example as a user runs it: a child process with redirected output.</summary>
internal static class ExampleProcess
{
    /// <summary>Runs the example with these arguments and waits for it.</summary>
    /// <returns>The exit code, and standard output followed by standard error.</returns>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
