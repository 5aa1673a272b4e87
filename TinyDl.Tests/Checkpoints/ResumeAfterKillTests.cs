using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using TinyDl.Tests.KillTarget;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Checkpoints;

/// <summary>
/// Kills a real training process (TinyDl.Tests.KillTarget, 6 epochs of 300 batches, with a participant
/// that keeps its own state in the checkpoints) with SIGKILL at seeded random moments: during start-up,
/// anywhere in training, and within a few milliseconds after an epoch's validation completed, while the CSV
/// row and the checkpoints are being written. Resumed until it finishes, it must end like an uninterrupted
/// run; rerun without resume, it must keep every earlier checkpoint.
/// </summary>
[NonParallelizable]
public sealed class ResumeAfterKillTests : TemporaryDirectoryTests
{
    private const int Epochs = 6;
    private const int MaxKills = 8;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string Experiment = "lr=0.001";

    [Test]
    [CancelAfter(150_000)]
    public void A_run_killed_at_random_moments_and_resumed_ends_like_an_uninterrupted_run()
    {
        // Arrange: the uninterrupted reference.
        var reference = Path.Combine(TestDirectory, "reference");
        var killedRoot = Path.Combine(TestDirectory, "killed");
        var killed = Path.Combine(killedRoot, Experiment);
        using (var referenceRun = Start(reference, resume: true, waitForTraining: true, out _))
        {
            Assert.That(referenceRun.WaitForExit(Timeout), Is.True, "the reference run did not finish in time");
        }

        var random = new Random(20240607);

        // Act: start with --resume and kill, until it finishes: one kill in three during start-up (before
        // training, while the run directory, data and checkpoint are opened), one at a random moment of
        // training, one within milliseconds after an epoch's validation (while CSV and checkpoints are written).
        var kills = 0;
        var killsDuringSave = 0;
        var unloadable = new List<string>();
        while (true)
        {
            var kind = kills % 3;
            using var process = Start(killedRoot, resume: true, waitForTraining: kind != 0, out var lines);
            var finished = kills >= MaxKills || kind switch
            {
                0 => process.WaitForExit(TimeSpan.FromMilliseconds(random.Next(0, 1500))),
                1 => process.WaitForExit(TimeSpan.FromMilliseconds(random.Next(0, 800))),
                _ => !WaitForEpochEnd(lines, process) || process.WaitForExit(TimeSpan.FromMilliseconds(random.Next(0, 3))),
            };
            if (finished)
            {
                Assert.That(process.WaitForExit(Timeout), Is.True, "the last run did not finish in time");
                Assert.That(process.ExitCode, Is.Zero, "the last run failed");
                break;
            }

            process.Kill(entireProcessTree: true); // SIGKILL on Unix
            process.WaitForExit();
            kills++;
            killsDuringSave += KilledDuringSave(killed) ? 1 : 0;
            unloadable.AddRange(Unloadable(killed));
        }

        // Assert
        var referenceRunDirectory = Path.Combine(reference, Experiment);
        var csv = File.ReadAllLines(Path.Combine(killed, "metrics.csv"));
        var epochs = csv.Skip(1).Select(line => int.Parse(line.Split(',')[0], CultureInfo.InvariantCulture)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(kills, Is.GreaterThanOrEqualTo(3), "too few kills landed to test anything");
            Assert.That(File.ReadAllBytes(Path.Combine(killed, "model.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(referenceRunDirectory, "model.bin"))), "final weights");
            Assert.That(File.ReadAllLines(Path.Combine(killed, "final.txt")), Is.EqualTo(File.ReadAllLines(Path.Combine(referenceRunDirectory, "final.txt"))), "final metrics and the participant's own state");
            Assert.That(epochs, Is.EqualTo(Enumerable.Range(1, Epochs)), "each epoch once in the CSV");
            Assert.That(csv.Select(WithoutDuration), Is.EqualTo(File.ReadAllLines(Path.Combine(referenceRunDirectory, "metrics.csv")).Select(WithoutDuration)), "CSV values");
            Assert.That(unloadable, Is.Empty, "checkpoints that did not load after a kill");
            Assert.That(Unloadable(killed), Is.Empty, "checkpoints that did not load at the end");
            Assert.That(Directory.GetFiles(Path.Combine(killed, "checkpoints"), "*.tmp"), Is.Empty, "temporary files left");
        });
        TestContext.Out.WriteLine($"{kills} kills, {killsDuringSave} of them landed between an epoch's CSV row and its last.ckpt");
    }

    [Test]
    [CancelAfter(120_000)]
    public void Rerunning_a_killed_run_without_resume_keeps_every_earlier_checkpoint_byte_for_byte()
    {
        // Arrange
        var root = Path.Combine(TestDirectory, "runs");
        var run = Path.Combine(root, Experiment);
        var random = new Random(7);
        var missing = new List<string>();

        // Act: start afresh four times, killing each at a random moment (the first during start-up).
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var before = Checkpoints(run);
            using var process = Start(root, resume: false, waitForTraining: attempt > 0, out var lines);

            // The second run is killed only after its first checkpoint, however slow the machine, so the
            // runs after it have checkpoints of an earlier run to keep.
            if (attempt == 1)
            {
                var waited = Stopwatch.StartNew();
                while (!File.Exists(Path.Combine(run, "checkpoints", "last.ckpt")) && !process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
                {
                    Thread.Sleep(20);
                }
            }

            if (attempt == 3 || !process.WaitForExit(TimeSpan.FromMilliseconds(attempt == 0 ? random.Next(200, 1500) : random.Next(300, 1500))))
            {
                if (attempt < 3)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.WaitForExit();
            }

            var after = Checkpoints(run).Values.ToHashSet();
            missing.AddRange(before.Where(kv => !after.Contains(kv.Value)).Select(kv => $"attempt {attempt}: {kv.Key}"));
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(missing, Is.Empty, "checkpoints that existed before a rerun and are gone after it");
            Assert.That(Directory.GetDirectories(run, "previous-*"), Is.Not.Empty, "earlier runs were kept aside");
        });
    }

    private static Dictionary<string, string> Checkpoints(string run) =>
        Directory.Exists(run)
            ? Directory.GetFiles(run, "*.ckpt", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(run, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            : [];

    private static Process Start(string root, bool resume, bool waitForTraining, out BlockingCollection<string> lines)
    {
        var target = Path.Combine(AppContext.BaseDirectory, "TinyDl.Tests.KillTarget.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { target, root, Epochs.ToString(CultureInfo.InvariantCulture) }.Concat(resume ? ["--resume"] : []))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new BlockingCollection<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                output.CompleteAdding();
            }
            else
            {
                output.Add(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        // Time the kill from the start of training, not from the process's start-up, unless start-up is the target.
        if (waitForTraining)
        {
            foreach (var line in output.GetConsumingEnumerable())
            {
                if (line.StartsWith("started", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        lines = output;
        return process;
    }

    /// <summary>Waits for the next "validation N completed" line; false when the process ended first.</summary>
    private static bool WaitForEpochEnd(BlockingCollection<string> lines, Process process)
    {
        foreach (var line in lines.GetConsumingEnumerable())
        {
            if (line.StartsWith("validation", StringComparison.Ordinal))
            {
                return !process.HasExited;
            }
        }

        return false;
    }

    /// <summary>Every checkpoint on disk that fails to load into a fresh model and optimizer.</summary>
    private static List<string> Unloadable(string runDirectory)
    {
        var failures = new List<string>();
        foreach (var file in new Checkpointer(Path.Combine(runDirectory, "checkpoints")).Files())
        {
            try
            {
                using var model = KillTargetRun.Model();
                using var optimizer = KillTargetRun.Optimizer(model);
                var checkpoint = Checkpoint.Read(file);
                checkpoint.LoadModel(model);
                checkpoint.LoadOptimizer(optimizer);
            }
            catch (Exception error) when (error is InvalidDataException or InvalidOperationException or IOException)
            {
                failures.Add($"{file}: {error.Message}");
            }
        }

        return failures;
    }

    /// <summary>Whether the CSV has an epoch last.ckpt lacks, or a checkpoint was left half written.</summary>
    private static bool KilledDuringSave(string runDirectory)
    {
        var checkpoints = new Checkpointer(Path.Combine(runDirectory, "checkpoints"));
        var csv = Path.Combine(runDirectory, "metrics.csv");
        if (!File.Exists(csv) || !File.Exists(checkpoints.LastPath))
        {
            return false;
        }

        var csvEpoch = File.ReadAllLines(csv).Skip(1).Select(line => int.Parse(line.Split(',')[0], CultureInfo.InvariantCulture)).DefaultIfEmpty().Max();
        return csvEpoch > Checkpoint.Read(checkpoints.LastPath).Epoch || Directory.GetFiles(checkpoints.Directory, "*.tmp").Length > 0;
    }

    private static string WithoutDuration(string line) => line[..line.LastIndexOf(',')];
}
