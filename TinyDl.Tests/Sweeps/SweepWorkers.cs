using System.Diagnostics;
using System.Globalization;
using TinyDl.Tests.Examples;

namespace TinyDl.Tests.Sweeps;

/// <summary>Sweep files and Fashion-MNIST sweep workers started as plain processes, with the scheduler's variables given.</summary>
internal static class SweepWorkers
{
    /// <summary>Writes a sweep file of the example: the lists swept, the rest fixed, on small data (validation_size 500).</summary>
    /// <returns>The file.</returns>
    public static string WriteSweep(string directory, string lr, string hidden, int epochs, int batchSize = 64)
    {
        var path = Path.Combine(directory, "sweep.json");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "hyperparameters": {
                "model": "mlp",
                "lr": {{lr}},
                "hidden": {{hidden}},
                "batch_size": {{batchSize}},
                "epochs": {{epochs}},
                "seed": 7,
                "validation_size": 500
              }
            }
            """));
        return path;
    }

    /// <summary>The small Fashion-MNIST subset the workers train on (shared by a test's workers).</summary>
    public static string Data(string directory, int train = 2000) => IdxFiles.WriteSubset(Path.Combine(directory, "data"), train, 300);

    /// <summary>Starts a worker: the example with these arguments and environment variables, output collected.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, out Func<string> output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var text = new System.Text.StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = () => { lock (text) { return text.ToString(); } };
        return process;
    }

    /// <summary>Runs a worker to its end (bounded).</summary>
    /// <returns>The exit code and its output.</returns>
    public static (int ExitCode, string Output) Run(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(arguments, environment, out var output);
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"a worker did not end within 120 s: {output()}");
        }

        process.WaitForExit();
        return (process.ExitCode, output());
    }

    /// <summary>Sends a signal such as <c>USR1</c> to a process, with kill(1).</summary>
    public static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
