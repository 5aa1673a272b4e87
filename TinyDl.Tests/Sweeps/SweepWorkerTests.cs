using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Sweeps;

/// <summary>Fashion-MNIST sweep workers (<c>--sweep FILE --shard S</c>) as plain processes on a small subset of the data.</summary>
[NonParallelizable]
public sealed class SweepWorkerTests : TemporaryDirectoryTests
{
    private static readonly string[] Names =
    [
        "model=mlp_lr=0.01_hidden=16_batch_size=64_epochs=1_seed=7_validation_size=500",
        "model=mlp_lr=0.01_hidden=32_batch_size=64_epochs=1_seed=7_validation_size=500",
        "model=mlp_lr=0.003_hidden=16_batch_size=64_epochs=1_seed=7_validation_size=500",
        "model=mlp_lr=0.003_hidden=32_batch_size=64_epochs=1_seed=7_validation_size=500",
    ];

    [Test]
    [CancelAfter(180_000)]
    public void Indexed_job_workers_cover_the_sweep_once_a_rerun_skips_completed_runs_and_an_empty_shard_says_so()
    {
        // Arrange
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01, 0.003]", "[16, 32]", epochs: 1);
        var data = SweepWorkers.Data(TestDirectory);
        var root = Path.Combine(TestDirectory, "runs");
        string[] Worker(string shard) => ["--sweep", sweep, "--shard", shard, "--data", data, "--out", root];

        // Act: the two pods of an Indexed Job with completions 2, then pod 0 again (requeued), then a shard beyond the sweep.
        var pods = Enumerable.Range(0, 2)
            .Select(i => SweepWorkers.Run(Worker("k8s/2"), new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            .ToList();
        var again = SweepWorkers.Run(Worker("0/2"));
        var empty = SweepWorkers.Run(Worker("5/8"));

        // Assert
        var manifests = Names.Select(n => RunManifest.Read(Path.Combine(root, n, RunManifest.FileName))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(pods.Select(p => p.ExitCode), Is.All.Zero, string.Join("\n", pods.Select(p => p.Output)));
            Assert.That(pods[0].Output, Does.Contain($"Shard 0/2: 2 of 4 experiments: {Names[0]}, {Names[2]}"));
            Assert.That(pods[1].Output, Does.Contain($"Shard 1/2: 2 of 4 experiments: {Names[1]}, {Names[3]}"));
            Assert.That(Directory.GetDirectories(root).Select(Path.GetFileName), Is.EquivalentTo(Names), "each experiment ran once, in its own directory");
            Assert.That(manifests.Select(m => m.Status), Is.All.EqualTo(RunStatus.Completed));
            Assert.That(Names.Select(n => File.ReadAllLines(Path.Combine(root, n, "metrics.csv")).Length), Is.All.EqualTo(2), "one epoch row each");
            Assert.That(again.ExitCode, Is.Zero, again.Output);
            Assert.That(again.Output, Does.Contain($"Completed earlier: {Names[0]}; skipped.").And.Contain($"Completed earlier: {Names[2]}; skipped."));
            Assert.That(again.Output, Does.Contain("Shard 0/2 done: 0 ran, 2 completed earlier, 0 left to other workers, 0 failed."));
            Assert.That(Directory.GetDirectories(Path.Combine(root, Names[0]), "previous-*"), Is.Empty, "a skipped run is not touched");
            Assert.That(empty.ExitCode, Is.Zero, empty.Output);
            Assert.That(empty.Output, Does.Contain("Shard 5/8 has no experiments: the sweep has 4, which shards 0 to 3 of 8 hold. Nothing to do."));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_worker_passes_over_a_run_another_worker_holds_comes_back_to_it_and_leaves_it_to_that_worker()
    {
        // Arrange: this test process holds the first experiment's run directory, as another worker would.
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01]", "[16, 32]", epochs: 1);
        var data = SweepWorkers.Data(TestDirectory);
        var root = Path.Combine(TestDirectory, "runs");
        using var held = RunLock.Acquire(Path.Combine(root, Names[0]));

        // Act
        var (exitCode, output) = SweepWorkers.Run(["--sweep", sweep, "--data", data, "--out", root]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(output, Does.Contain($"Held by another worker: {Names[0]}; coming back to it after the others."));
            Assert.That(output, Does.Contain($"Still held by another worker: {Names[0]} (process {Environment.ProcessId} on "));
            Assert.That(output, Does.Contain("done: 1 ran, 0 completed earlier, 1 left to other workers, 0 failed."));
            Assert.That(RunManifest.Read(Path.Combine(root, Names[1], RunManifest.FileName)).Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(Directory.GetFileSystemEntries(Path.Combine(root, Names[0])).Select(Path.GetFileName), Is.EquivalentTo(new[] { RunLock.FileName, RunLock.OwnerFileName }), "the held directory is untouched");
        });
    }

    [TestCase("USR1")]
    [TestCase("TERM")]
    [CancelAfter(180_000)]
    public void A_preempted_worker_checkpoints_exits_75_and_once_requeued_ends_bit_identical_to_an_uninterrupted_run(string signal)
    {
        // Arrange
        const int Epochs = 5;
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "0.003", "64", Epochs, batchSize: 32);
        var data = SweepWorkers.Data(TestDirectory, train: 8000);
        var name = "model=mlp_lr=0.003_hidden=64_batch_size=32_epochs=5_seed=7_validation_size=500";
        string[] Worker(string root) => ["--sweep", sweep, "--data", data, "--out", Path.Combine(TestDirectory, root), "--deterministic"];
        var reference = SweepWorkers.Run(Worker("reference"));
        var run = Path.Combine(TestDirectory, "preempted", name);

        // Act: signal the worker once its first epoch is in the CSV, then start it again as a requeue would.
        int stoppedCode;
        string stoppedOutput;
        using (var worker = SweepWorkers.Start(Worker("preempted"), null, out var output))
        {
            var csv = Path.Combine(run, "metrics.csv");
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(File.Exists(csv) && File.ReadAllLines(csv).Length >= 2) && !worker.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }

            SweepWorkers.Signal(worker, signal);
            Assert.That(worker.WaitForExit(TimeSpan.FromSeconds(60)), Is.True, "the worker did not stop within 60 s of the signal");
            worker.WaitForExit();
            (stoppedCode, stoppedOutput) = (worker.ExitCode, output());
        }

        var stopped = RunManifest.Read(Path.Combine(run, RunManifest.FileName));
        var requeued = SweepWorkers.Run(Worker("preempted"));

        // Assert
        var epochs = File.ReadAllLines(Path.Combine(run, "metrics.csv")).Skip(1).Select(l => l.Split(',')[0]);
        Assert.Multiple(() =>
        {
            Assert.That(reference.ExitCode, Is.Zero, reference.Output);
            Assert.That(stoppedCode, Is.EqualTo(75), stoppedOutput);
            Assert.That(stoppedOutput, Does.Contain($"SIG{signal} received: stopping after the current batch.").And.Contain("Exit code 75: requeue this worker"));
            Assert.That(stopped.Status, Is.EqualTo(RunStatus.Stopped));
            Assert.That(stopped.StopReason, Is.EqualTo(RunCompleted.Cancelled));
            Assert.That(stopped.Epoch, Is.InRange(1, Epochs - 1), "the signal landed mid-run");
            Assert.That(requeued.ExitCode, Is.Zero, requeued.Output);
            Assert.That(requeued.Output, Does.Contain("Resuming from ").And.Contain("epoch " + (stopped.Epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " of 5 next."), requeued.Output);
            Assert.That(epochs, Is.EqualTo(Enumerable.Range(1, Epochs).Select(e => e.ToString(System.Globalization.CultureInfo.InvariantCulture))), "each epoch once in the CSV");
            Assert.That(File.ReadAllBytes(Path.Combine(run, "model.bin")), Is.EqualTo(File.ReadAllBytes(Path.Combine(TestDirectory, "reference", name, "model.bin"))), "final weights bit for bit");
            Assert.That(RunManifest.Read(Path.Combine(run, RunManifest.FileName)).Status, Is.EqualTo(RunStatus.Completed));
        });
    }
}
