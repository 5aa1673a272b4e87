using System.Diagnostics;
using System.Text.Json;

namespace TinyDl.Parity;

/// <summary>Runs this program again as a child process for one contender and reads its report.</summary>
internal static class ChildProcess
{
    public static ContenderReport Run(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the benchmark's child process.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"The child process ({string.Join(' ', arguments)}) failed with exit code {process.ExitCode}:\n{output}");
        }

        return JsonSerializer.Deserialize<ContenderReport>(line["RESULT ".Length..])!;
    }
}
