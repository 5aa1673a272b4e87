using System.Diagnostics;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.RunSafety;

/// <summary>A run directory belongs to one experiment and one process, and keeps what it holds unless told otherwise.</summary>
public sealed class RunDirectoryTests : TemporaryDirectoryTests
{
    [Test]
    public void Experiments_that_differ_only_in_characters_get_two_directories_and_two_rows()
    {
        // Arrange: these printed alike before names carried the id for ambiguous values.
        var first = new Experiment([new("dataset", "v1/train"), new("seed", 1)]);
        var second = new Experiment([new("dataset", "v1 train"), new("seed", 1)]);

        // Act
        foreach (var experiment in new[] { first, second })
        {
            using var directory = RunDirectory.Open(TestDirectory, experiment);
            var (runner, model) = Synthetic.Run(seed: 3);
            using var manifest = new ManifestWriter(directory.Path, model);
            using var runnerWithExperiment = new Runner(runner.Trainer, runner.Validator) { Experiment = experiment };
            using var attached = runnerWithExperiment.Attach(manifest);
            runnerWithExperiment.Run(1);
        }

        // Assert
        var runs = Highscores.Scan(TestDirectory).Runs;
        Assert.Multiple(() =>
        {
            Assert.That(first.Name, Is.Not.EqualTo(second.Name));
            Assert.That(runs, Has.Count.EqualTo(2));
            Assert.That(runs.Select(r => r.Manifest!.ExperimentId), Is.EquivalentTo(new[] { first.Id, second.Id }));
        });
    }

    [Test]
    public void A_directory_whose_run_json_is_another_experiment_s_is_refused_naming_both_and_left_as_it_is()
    {
        // Arrange: an old-style name shared by another experiment, as before names were made unique.
        var experiment = new Experiment([new("lr", 0.1)]);
        var manifest = RunDirectoriesFor.Manifest("lr=0.1", "0123456789ab");
        manifest.WriteTo(Path.Combine(TestDirectory, experiment.Name, RunManifest.FileName));
        var before = Files.Checksums(TestDirectory);

        // Act
        var error = Assert.Throws<RunDirectoryMismatchException>(() => RunDirectory.Open(TestDirectory, experiment));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("holds the run of experiment 'lr=0.1' (id 0123456789ab), not of 'lr=0.1' (id " + experiment.Id + ")"));
            Assert.That(Files.Checksums(TestDirectory), Is.EqualTo(before));
            Assert.That(RunLock.IsHeld(Path.Combine(TestDirectory, experiment.Name)), Is.False, "the lock was released");
        });
    }

    [Test]
    public void A_second_holder_in_the_same_process_is_refused_and_takes_it_once_released()
    {
        var experiment = new Experiment([new("lr", 0.1)]);
        using (RunDirectory.Open(TestDirectory, experiment))
        {
            var error = Assert.Throws<RunDirectoryInUseException>(() => RunDirectory.Open(TestDirectory, experiment));
            Assert.That(error!.Owner?.ProcessId, Is.EqualTo(Environment.ProcessId));
        }

        Assert.That(() => RunDirectory.Open(TestDirectory, experiment).Dispose(), Throws.Nothing);
    }

    [Test]
    [CancelAfter(60_000)]
    public void A_directory_held_by_another_live_process_is_refused_within_a_second_and_free_at_once_after_it_is_killed()
    {
        // Arrange: a child process (flock, as TinyDl's lock) holds the run directory.
        var experiment = new Experiment([new("lr", 0.1)]);
        var directory = Path.Combine(TestDirectory, experiment.Name);
        using var holder = Holder(directory);

        // Act
        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<RunDirectoryInUseException>(() => RunDirectory.Open(TestDirectory, experiment));
        var refusedAfter = clock.Elapsed;
        holder.Kill(entireProcessTree: true);
        holder.WaitForExit();
        clock.Restart();
        using var taken = RunDirectory.Open(TestDirectory, experiment);
        var takenAfter = clock.Elapsed;

        // Assert
        TestContext.Out.WriteLine($"refused after {refusedAfter.TotalMilliseconds:F0} ms; taken over {takenAfter.TotalMilliseconds:F0} ms after the kill");
        Assert.Multiple(() =>
        {
            Assert.That(refusedAfter, Is.LessThan(TimeSpan.FromSeconds(1)));
            Assert.That(error!.Message, Does.Contain($"is in use by process {holder.Id} on {Environment.MachineName}"));
            Assert.That(takenAfter, Is.LessThan(TimeSpan.FromSeconds(1)), "no stale lock after SIGKILL");
        });
    }

    [Test]
    public void Keeping_aside_moves_every_file_of_the_earlier_run_and_discarding_deletes_only_it()
    {
        // Arrange
        var experiment = new Experiment([new("lr", 0.1)]);
        var run = Path.Combine(TestDirectory, experiment.Name);
        Directory.CreateDirectory(Path.Combine(run, "checkpoints"));
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "epoch\n1\n");
        File.WriteAllText(Path.Combine(run, "checkpoints", "last.ckpt"), "x");
        var before = Files.Checksums(run);

        // Act
        string? aside;
        int discarded;
        using (var directory = RunDirectory.Open(TestDirectory, experiment))
        {
            aside = directory.KeepAside();
            File.WriteAllText(Path.Combine(run, "metrics.csv"), "epoch\n");
            discarded = directory.Discard();
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(aside, Is.EqualTo(Path.Combine(run, "previous-1")));
            Assert.That(Files.Checksums(aside!), Is.EqualTo(before));
            Assert.That(discarded, Is.EqualTo(1), "the new metrics.csv; the kept-aside run stays");
            Assert.That(Directory.GetFileSystemEntries(run).Select(Path.GetFileName), Is.EquivalentTo(new[] { "previous-1", "run.lock" }));
        });
    }

    /// <summary>A child process that takes the lock (the same way TinyDl does: flock through FileShare.None) and waits.</summary>
    private static Process Holder(string directory)
    {
        Directory.CreateDirectory(directory);
        var script = $"exec 9>\"{Path.Combine(directory, RunLock.FileName)}\" && flock -x -n 9 && echo '{{\"ProcessId\":'$$',\"Host\":\"{Environment.MachineName}\",\"Since\":\"2026-01-01T00:00:00+00:00\"}}' > \"{Path.Combine(directory, RunLock.OwnerFileName)}\" && echo held && sleep 60";
        var start = new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardOutput = true, UseShellExecute = false };
        var process = Process.Start(start)!;
        Assert.That(process.StandardOutput.ReadLine(), Is.EqualTo("held"), "the child did not take the lock");
        return process;
    }
}
