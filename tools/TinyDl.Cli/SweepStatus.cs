using System.Globalization;
using TinyDl.Examples;
using TinyDl.Runs;

namespace TinyDl.Cli;

/// <summary>
/// <c>tinydl sweep status ROOT [--sweep FILE]</c>: each experiment's state from its run directory and lock,
/// without taking a lock: completed (ended well), running (a live process holds the lock), stopped
/// (preempted or cancelled; a worker resumes it), interrupted (killed: no live holder, manifest says running),
/// failed, or pending (no run yet).
/// </summary>
internal static class SweepStatus
{
    private static readonly string[] States = ["completed", "running", "stopped", "interrupted", "failed", "pending"];

    public static int Write(string root, Hyperparameter? sweep, TextWriter output)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            throw new OptionsException($"There is no run root '{full}'.");
        }

        var names = sweep?.GetExperiments().Select(e => e.Name).ToList()
            ?? [.. Directory.EnumerateDirectories(full).Select(d => Path.GetFileName(d)!).Where(n => File.Exists(Path.Combine(full, n, RunManifest.FileName)) || File.Exists(Path.Combine(full, n, RunLock.FileName))).Order(StringComparer.Ordinal)];
        var rows = names.Select(name => (Name: name, State: State(Path.Combine(full, name)))).ToList();
        output.WriteLine("state\tepoch\texperiment");
        foreach (var (name, (state, epoch)) in rows)
        {
            output.WriteLine($"{state}\t{epoch}\t{name}");
        }

        var counts = States.Select(s => string.Create(CultureInfo.InvariantCulture, $"{rows.Count(r => r.State.State == s)} {s}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows.Count} experiments: {string.Join(", ", counts)}."));
        return ExitCodes.Success;
    }

    private static (string State, string Epoch) State(string directory)
    {
        var live = RunLock.IsHeld(directory);
        RunManifest manifest;
        try
        {
            manifest = RunManifest.Read(Path.Combine(directory, RunManifest.FileName));
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (live ? "running" : "pending", "");
        }

        var epoch = string.Create(CultureInfo.InvariantCulture, $"{manifest.Epoch}/{manifest.Epochs}");
        if (live)
        {
            return ("running", epoch);
        }

        return (manifest.EndedWell ? "completed" : manifest.Status switch
        {
            RunStatus.Running => "interrupted",
            RunStatus.Failed => "failed",
            _ => "stopped",
        }, epoch);
    }
}
