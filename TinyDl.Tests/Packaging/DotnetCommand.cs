using System.Diagnostics;

namespace TinyDl.Tests.Packaging;

/// <summary>Runs <c>dotnet</c> (or another program) as a user would, with output captured and a time limit.</summary>
internal static class DotnetCommand
{
    /// <summary>The outcome of one command.</summary>
    public sealed record Result(string Command, int ExitCode, string Output, string Error)
    {
        /// <summary>Everything the command printed, for assertion messages.</summary>
        public override string ToString() => $"{Command} exited with {ExitCode}\n{Output}\n{Error}";
    }

    /// <summary>Runs <c>dotnet</c> with these arguments in <paramref name="directory"/>.</summary>
    public static Result Run(string directory, params string[] arguments) => RunProgram("dotnet", directory, arguments);

    /// <summary>Runs a program and waits for it, killing it (and its children) after five minutes.</summary>
    public static Result RunProgram(string program, string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild variables would steer the child builds.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        var command = $"{program} {string.Join(' ', arguments)}";

        // A child left running (a build server) would keep the pipes open: fail instead of waiting forever.
        if (!Task.WaitAll([output, error], TimeSpan.FromMinutes(1)))
        {
            throw new TimeoutException($"{command}: its output did not end a minute after it exited.");
        }

        return new Result(command, process.ExitCode, output.Result, error.Result);
    }
}
