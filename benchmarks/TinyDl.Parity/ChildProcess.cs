using System.Diagnostics;
using System.Text.Json;

namespace TinyDl.Parity;

/// <summary>Runs this program again as a child process for one contender and reads its report.</summary>
internal static class ChildProcess
{
    /// <summary>How reports cross the process boundary: NaN stands for a value a contender does not compute.</summary>
    public static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static List<ContenderReport> Run(IEnumerable<string> arguments)
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
        var lines = output.Split('\n').Where(l => l.StartsWith("RESULT ", StringComparison.Ordinal)).ToList();
        if (process.ExitCode != 0 || lines.Count == 0)
        {
            throw new InvalidOperationException($"The child process ({string.Join(' ', arguments)}) failed with exit code {process.ExitCode}:\n{output}");
        }

        return lines.Select(line => JsonSerializer.Deserialize<ContenderReport>(line["RESULT ".Length..], Json)!).ToList();
    }
}
