using System.Globalization;
using Spectre.Console.Testing;
using TinyDl.Cli;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Sweeps;

/// <summary>
/// A sweep on a real Slurm (one node, started by tools/slurm/start.sh): the sbatch script of
/// <c>tinydl sweep slurm</c> for 6 experiments over 3 array tasks, one task preempted mid-run with Slurm's
/// warning signal (<c>scancel --signal=USR1 --batch</c>), requeued by its script and released, then the
/// whole array finished. Fails, saying how to start Slurm, when it is not running.
/// </summary>
[NonParallelizable]
public sealed class SlurmSweepTests : TemporaryDirectoryTests
{
    private const int Epochs = 5;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(150);

    [Test]
    [CancelAfter(300_000)]
    public void A_slurm_array_runs_every_experiment_once_and_a_preempted_task_resumes_bit_identical_after_its_requeue()
    {
        // Arrange
        Slurm.RequireRunning();
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01, 0.003]", "[16, 32, 64]", Epochs, batchSize: 32);
        var data = SweepWorkers.Data(TestDirectory, train: 6000);
        var root = Path.Combine(TestDirectory, "runs");
        var names = Hyperparameter.Load(sweep).GetExperiments().Select(e => e.Name).ToList();
        var preempted = names[1]; // shard 1 of 3 runs experiments 1 and 4
        var script = Path.Combine(TestDirectory, "sweep.sbatch");
        var worker = $"dotnet {Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll")}";
        var written = Tool(["sweep", "slurm", sweep, "--tasks", "3", "--out", root, "--requeue", "--signal-seconds", "60", "--worker", worker, "--worker-args", $"--data {data} --deterministic"]);
        File.WriteAllText(script, written);

        // Act
        var job = Slurm.Run("sbatch", "--parsable", script).Trim().Split(';')[0];
        var task = $"{job}_1";
        Progress($"submitted array job {job}; waiting for epoch 1 of {preempted} (task {task})");
        try
        {
            var csv = Path.Combine(root, preempted, "metrics.csv");
            WaitFor(() => File.Exists(csv) && File.ReadAllLines(csv).Length >= 2, $"epoch 1 of {preempted} in its metrics.csv", whileQueued: job);
            Slurm.Run("scancel", "--signal=USR1", "--batch", task);
            Progress($"sent USR1 to the batch shell of {task}; waiting for its requeue (PENDING, BeginTime)");
            WaitFor(() => Slurm.State(task).StartsWith("PENDING", StringComparison.Ordinal), $"{task} requeued and pending");
            Slurm.Run("scontrol", "update", $"jobid={task}", "StartTime=now");
            Progress($"released {task}; waiting for the array {job} to leave the queue");
            WaitFor(() => Slurm.State(job).Length == 0, $"array {job} finished");
        }
        finally
        {
            Slurm.TryRun("scancel", job);
        }

        Progress($"reference: {preempted} uninterrupted, as a plain process");
        var reference = SweepWorkers.Run(["--sweep", sweep, "--shard", "1/6", "--data", data, "--out", Path.Combine(TestDirectory, "reference"), "--deterministic"]);

        // Assert
        var logs = Directory.GetFiles(Path.Combine(root, ".slurm-logs"), "*.out").Order(StringComparer.Ordinal).ToList();
        var log = File.ReadAllText(logs.Single(l => l.EndsWith("_1.out", StringComparison.Ordinal)));
        TestContext.Out.WriteLine($"--- log of the preempted task {task} ---\n{log}");
        var status = Tool(["sweep", "status", root, "--sweep", sweep]);
        var highscores = Tool(["highscores", root, "--format", "csv"]);
        var weights = File.ReadAllBytes(Path.Combine(root, preempted, "model.bin"));
        var referenceWeights = File.ReadAllBytes(Path.Combine(TestDirectory, "reference", preempted, "model.bin"));
        TestContext.Out.WriteLine($"final weights of {preempted}: preempted and requeued {Sha(weights)}, uninterrupted {Sha(referenceWeights)}");
        TestContext.Out.WriteLine(status);
        Assert.Multiple(() =>
        {
            Assert.That(logs, Has.Count.EqualTo(3), "one output file per array task");
            Assert.That(log, Does.Contain("SLURM_RESTART_COUNT=0").And.Contain("SLURM_RESTART_COUNT=1"), "the task ran twice: before and after its requeue");
            Assert.That(log, Does.Contain("SIGUSR1 received: stopping after the current batch.").And.Contain("exit code 75").And.Contain("requeueing job"));
            Assert.That(log, Does.Contain("Resuming from "), "the requeued task resumed the preempted run");
            foreach (var name in names)
            {
                var epochs = File.ReadAllLines(Path.Combine(root, name, "metrics.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0], CultureInfo.InvariantCulture));
                Assert.That(epochs, Is.EqualTo(Enumerable.Range(1, Epochs)), $"each epoch once in the CSV of {name}");
                Assert.That(RunManifest.Read(Path.Combine(root, name, RunManifest.FileName)).Status, Is.EqualTo(RunStatus.Completed), name);
                Assert.That(Directory.GetDirectories(Path.Combine(root, name), "previous-*"), Is.Empty, $"{name} ran once, never started over");
                Assert.That(logs.Count(l => ShardLines(l).Any(line => line.Contains(name, StringComparison.Ordinal))), Is.EqualTo(1), $"{name} is in one task's shard only");
            }

            Assert.That(reference.ExitCode, Is.Zero, reference.Output);
            Assert.That(weights, Is.EqualTo(referenceWeights), "the preempted experiment's final weights equal an uninterrupted run's");
            Assert.That(status, Does.Contain("6 experiments: 6 completed, 0 running, 0 stopped, 0 interrupted, 0 failed, 0 pending."));
            Assert.That(highscores.TrimEnd().Split('\n'), Has.Length.EqualTo(7), "highscores lists 6 runs");
        });
    }

    /// <summary>The lines of a task's output where its worker lists its shard ("Shard 1/3: 2 of 6 experiments: ...").</summary>
    private static IEnumerable<string> ShardLines(string log) =>
        File.ReadAllLines(log).Where(l => l.StartsWith("Shard ", StringComparison.Ordinal) && l.Contains(" experiments", StringComparison.Ordinal));

    private static string Tool(string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = TinyDlCommand.Run(args, new TestConsole(), output, error);
        Assert.That(code, Is.Zero, $"tinydl {string.Join(' ', args)}: {error}");
        return output.ToString();
    }

    private static void WaitFor(Func<bool> condition, string what, string? whileQueued = null)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!condition())
        {
            if (whileQueued is not null && Slurm.State(whileQueued).Length == 0 && !condition())
            {
                Assert.Fail($"the array {whileQueued} ended before {what}; see /var/log/slurm/slurmd.log and the task logs");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"waited {Bound.TotalSeconds} s for {what}; squeue: {Slurm.TryRun("squeue", "-a").Output}");
            }

            Thread.Sleep(100);
        }
    }

    private static void Progress(string text) => TestContext.Progress.WriteLine($"{DateTime.UtcNow:HH:mm:ss} slurm sweep: {text}");

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))[..16];
}
