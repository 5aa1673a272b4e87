using Spectre.Console;
using TinyDl;
using TinyDl.Examples;
using TinyDl.Runs;

namespace FashionMnist;

/// <summary>
/// A sweep worker (<c>--sweep FILE [--shard S]</c>): runs its shard's experiments one after the other under
/// <c>--out</c>, which may be shared with other workers. It can be started, stopped and requeued at any
/// time: a run whose directory says it completed is skipped; a stopped or killed one resumes from its last
/// checkpoint; one another worker holds (its lock) is passed over, tried again after the others, and
/// reported as left to that worker if it is still held. SIGUSR1 or SIGTERM stop the current run after its
/// batch (checkpoint kept, run marked stopped) and the worker exits with <see cref="ExitCodes.Requeue"/>.
/// </summary>
internal static class SweepWorker
{
    private enum Attempt
    {
        Completed,
        Ran,
        Held,
        Failed,
        Stopped,
    }

    public static int Run(Options options, FashionMnistData data, IAnsiConsole console, StopSignals stop)
    {
        var all = options.AllExperiments().ToList();
        var shard = options.Shard ?? Shard.All;
        var mine = shard.Of(all).ToList();
        // Refuse a run root this worker cannot write, before any experiment starts.
        WritableRoot.Check(options.Out, ". Every worker of a sweep writes its runs there: give --out a directory on storage shared by all nodes that this user can write.");
        if (mine.Count == 0)
        {
            Console.WriteLine($"Shard {shard} has no experiments: the sweep has {all.Count}, which shards 0 to {all.Count - 1} of {shard.Count} hold. Nothing to do.");
            return ExitCodes.Success;
        }

        var restarts = Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT") is { Length: > 0 } count ? $", SLURM_RESTART_COUNT={count}" : "";
        Console.WriteLine($"Shard {shard}: {mine.Count} of {all.Count} experiments{restarts}: {string.Join(", ", mine.Select(e => e.Name))}");
        var (ran, completed, failed) = (0, 0, 0);
        var pending = mine;
        for (var pass = 1; pass <= 2 && pending.Count > 0; pass++)
        {
            var held = new List<Experiment>();
            foreach (var experiment in pending)
            {
                if (stop.Token.IsCancellationRequested)
                {
                    return Requeue($"{stop.Received} received between experiments");
                }

                switch (Try(experiment, options, data, console, stop))
                {
                    case Attempt.Completed:
                        completed++;
                        Console.WriteLine($"Completed earlier: {experiment.Name}; skipped.");
                        break;
                    case Attempt.Held:
                        held.Add(experiment);
                        Console.WriteLine(pass == 1
                            ? $"Held by another worker: {experiment.Name}; coming back to it after the others."
                            : $"Still held by another worker: {experiment.Name} ({Owner(options.Out, experiment)}); left to it.");
                        break;
                    case Attempt.Failed:
                        failed++;
                        break;
                    case Attempt.Stopped:
                        return Requeue($"{experiment.Name} stopped by {stop.Received}; its last checkpoint is kept and run.json says stopped");
                    default:
                        ran++;
                        break;
                }
            }

            pending = held;
        }

        Console.WriteLine($"Shard {shard} done: {ran} ran, {completed} completed earlier, {pending.Count} left to other workers, {failed} failed.");
        FashionMnistRun.Summarize(ran, options, console);
        return failed > 0 ? ExitCodes.RunFailed : ExitCodes.Success;
    }

    private static Attempt Try(Experiment experiment, Options options, FashionMnistData data, IAnsiConsole console, StopSignals stop)
    {
        var directory = Path.Combine(options.Out, experiment.Name);
        if (IsCompleted(directory, experiment))
        {
            return Attempt.Completed;
        }

        if (RunLock.IsHeld(directory))
        {
            return Attempt.Held;
        }

        console.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]");
        try
        {
            var outcome = FashionMnistRun.Run(experiment, options, data, console, stop.Token);
            return outcome.Result.Status == RunStatus.Stopped && stop.Token.IsCancellationRequested ? Attempt.Stopped : Attempt.Ran;
        }
        catch (RunDirectoryInUseException)
        {
            // Another worker took it between the look and the lock.
            return Attempt.Held;
        }
        catch (NonFiniteValueException error)
        {
            // One diverging experiment does not stop the others; the exit code says it failed.
            Console.Error.WriteLine($"error: {experiment.Name}: {error.Message}");
            return Attempt.Failed;
        }
    }

    /// <summary>Whether the run directory holds a finished run of the experiment with its saved model: nothing left to do.</summary>
    private static bool IsCompleted(string directory, Experiment experiment)
    {
        var file = Path.Combine(directory, RunManifest.FileName);
        if (!File.Exists(file))
        {
            return false;
        }

        try
        {
            var manifest = RunManifest.Read(file);
            return manifest.ExperimentId == experiment.Id && manifest.EndedWell && manifest.Weights is { } weights && File.Exists(Path.Combine(directory, weights.File));
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // A damaged manifest is the run directory's business: opening it says what is wrong.
            return false;
        }
    }

    private static string Owner(string root, Experiment experiment) =>
        RunLock.ReadOwner(Path.Combine(root, experiment.Name)) is { } owner ? $"process {owner.ProcessId} on {owner.Host} since {owner.Since:u}" : "owner unknown";

    private static int Requeue(string why)
    {
        Console.WriteLine($"Worker stopped: {why}. Exit code {ExitCodes.Requeue}: requeue this worker (the same command) and it resumes.");
        return ExitCodes.Requeue;
    }
}
