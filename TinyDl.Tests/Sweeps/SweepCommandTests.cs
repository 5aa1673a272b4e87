using k8s;
using k8s.Models;
using Spectre.Console.Testing;
using TinyDl.Cli;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Sweeps;

[NonParallelizable]
public sealed class SweepCommandTests : TemporaryDirectoryTests
{
    [Test]
    public void Plan_lists_the_experiments_in_order_with_their_shards_and_ids()
    {
        // Arrange
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01, 0.003]", "[16, 32, 64]", epochs: 1);

        // Act
        var (code, output, _) = Tool("sweep", "plan", sweep, "--shards", "4");

        // Assert
        var lines = output.TrimEnd().Split('\n');
        var experiments = Hyperparameter.Load(sweep).GetExperiments().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(lines[0], Is.EqualTo("6 experiments over 4 shards (2 or 1 each)."));
            Assert.That(lines[2], Is.EqualTo($"0\t0/4\t{experiments[0].Id}\t{experiments[0].Name}"));
            Assert.That(lines[2..].Select(l => l.Split('\t')[1]), Is.EqualTo(new[] { "0/4", "1/4", "2/4", "3/4", "0/4", "1/4" }));
        });
    }

    [Test]
    public void A_bad_sweep_file_is_a_usage_error_naming_its_line_and_path()
    {
        // Arrange
        var sweep = Path.Combine(TestDirectory, "bad.json");
        File.WriteAllText(sweep, "{\n  \"hyperparameters\": {\n    \"lr\": []\n  }\n}\n");

        // Act
        var (code, _, error) = Tool("sweep", "slurm", sweep, "--tasks", "2", "--out", TestDirectory);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error, Does.StartWith($"error: {sweep}:3: $.hyperparameters.lr: the list is empty; give at least one value."));
        });
    }

    [Test]
    public void The_slurm_script_is_an_array_of_the_tasks_that_forwards_the_warning_signal_and_requeues_on_exit_75()
    {
        // Arrange
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01, 0.003]", "[16, 32, 64]", epochs: 1);
        var root = Path.Combine(TestDirectory, "runs");

        // Act
        var (code, script, _) = Tool("sweep", "slurm", sweep, "--tasks", "4", "--out", root, "--requeue", "--time", "01:00:00", "--worker", "dotnet /opt/FashionMnist.dll");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(script, Does.StartWith("#!/bin/bash\n"));
            Assert.That(script, Does.Contain("#SBATCH --array=0-3\n").And.Contain($"#SBATCH --output={root}/.slurm-logs/%A_%a.out\n"));
            Assert.That(script, Does.Contain("#SBATCH --signal=B:USR1@120\n").And.Contain("#SBATCH --requeue\n").And.Contain("#SBATCH --time=01:00:00\n"));
            Assert.That(script, Does.Contain("(2 or 1 each)"));
            Assert.That(script, Does.Contain($"dotnet /opt/FashionMnist.dll --sweep {sweep} --shard slurm --out {root} &\n"));
            Assert.That(script, Does.Contain("trap 'kill -USR1 \"$worker\" 2>/dev/null' USR1\n").And.Contain("trap 'kill -TERM \"$worker\" 2>/dev/null' TERM\n"));
            Assert.That(script, Does.Contain("if [ \"$code\" -eq 75 ]; then").And.Contain("scontrol requeue \"${SLURM_JOB_ID}\""));
            Assert.That(Directory.Exists(Path.Combine(root, ".slurm-logs")), Is.True, "Slurm opens the output files before the script runs");
        });
    }

    [Test]
    public void A_run_root_that_cannot_be_written_is_refused()
    {
        // Arrange
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01]", "[16]", epochs: 1);
        var file = Path.Combine(TestDirectory, "a-file");
        File.WriteAllText(file, "");

        // Act
        var (code, _, error) = Tool("sweep", "slurm", sweep, "--tasks", "1", "--out", Path.Combine(file, "runs"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(5));
            Assert.That(error, Does.StartWith($"error: The run root '{Path.Combine(file, "runs")}' is not writable (").And.Contain("give --out a directory on storage every node shares"));
        });
    }

    [Test]
    [CancelAfter(180_000)]
    public void The_indexed_job_parses_as_kubernetes_objects_and_its_pods_as_plain_processes_cover_the_sweep_once()
    {
        // Arrange
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01]", "[16, 32]", epochs: 1);
        var data = SweepWorkers.Data(TestDirectory);
        var root = Path.Combine(TestDirectory, "runs");

        // Act
        var (code, yaml, notes) = Tool("sweep", "k8s", sweep, "--completions", "3", "--parallelism", "2", "--image", "registry.example/tinydl:1", "--claim", "sweep-runs", "--worker", "dotnet /app/FashionMnist.dll");
        var objects = KubernetesYaml.LoadAllFromString(yaml);
        var map = objects.OfType<V1ConfigMap>().Single();
        var job = objects.OfType<V1Job>().Single();
        var container = job.Spec.Template.Spec.Containers.Single();
        File.WriteAllText(Path.Combine(TestDirectory, "from-configmap.json"), map.Data["sweep.json"]);
        var pods = Enumerable.Range(0, job.Spec.Completions!.Value).Select(i => SweepWorkers.Run(
            [.. container.Args.Select(a => a == "/sweep/sweep.json" ? Path.Combine(TestDirectory, "from-configmap.json") : a == "/runs" ? root : a), "--data", data],
            new Dictionary<string, string> { ["JOB_COMPLETION_INDEX"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();

        // Assert
        var rules = job.Spec.PodFailurePolicy.Rules;
        var names = Hyperparameter.Load(sweep).GetExperiments().Select(e => e.Name).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(notes, Does.Contain("note: 3 completions for 2 experiments: 1 pods will find their shard empty."));
            Assert.That(map.Data["sweep.json"].TrimEnd(), Is.EqualTo(File.ReadAllText(sweep).TrimEnd()));
            Assert.That(job.Spec.CompletionMode, Is.EqualTo("Indexed"));
            Assert.That((job.Spec.Completions, job.Spec.Parallelism, job.Spec.BackoffLimitPerIndex), Is.EqualTo((3, 2, 2)));
            Assert.That(rules.Select(r => r.Action), Is.EqualTo(new[] { "Ignore", "Ignore" }));
            Assert.That(rules[0].OnPodConditions.Single().Type, Is.EqualTo("DisruptionTarget"));
            Assert.That((rules[1].OnExitCodes.ContainerName, rules[1].OnExitCodes.OperatorProperty, rules[1].OnExitCodes.Values), Is.EqualTo(("worker", "In", new List<int> { 75 })));
            Assert.That(job.Spec.Template.Spec.RestartPolicy, Is.EqualTo("Never"), "a pod failure policy needs restartPolicy Never");
            Assert.That(container.Image, Is.EqualTo("registry.example/tinydl:1"));
            Assert.That(container.Command, Is.EqualTo(new[] { "dotnet", "/app/FashionMnist.dll" }));
            Assert.That(container.Args, Is.EqualTo(new[] { "--sweep", "/sweep/sweep.json", "--shard", "k8s/3", "--out", "/runs" }));
            Assert.That(container.VolumeMounts.Select(m => (m.Name, m.MountPath)), Is.EqualTo(new[] { ("runs", "/runs"), ("sweep", "/sweep") }));
            Assert.That(job.Spec.Template.Spec.Volumes.Single(v => v.Name == "runs").PersistentVolumeClaim.ClaimName, Is.EqualTo("sweep-runs"));
            Assert.That(job.Spec.Template.Spec.Volumes.Single(v => v.Name == "sweep").ConfigMap.Name, Is.EqualTo(map.Metadata.Name));
            Assert.That(pods.Select(p => p.ExitCode), Is.All.Zero, string.Join("\n", pods.Select(p => p.Output)));
            Assert.That(pods[2].Output, Does.Contain("Shard 2/3 has no experiments"));
            Assert.That(Directory.GetDirectories(root).Select(Path.GetFileName), Is.EquivalentTo(names), "every experiment once");
            Assert.That(names.Select(n => RunManifest.Read(Path.Combine(root, n, RunManifest.FileName)).Status), Is.All.EqualTo(RunStatus.Completed));
        });
    }

    [Test]
    public void Status_tells_completed_running_stopped_interrupted_failed_and_pending_experiments_apart()
    {
        // Arrange: manifests as runs leave them, and a live lock.
        var sweep = SweepWorkers.WriteSweep(TestDirectory, "[0.01, 0.003, 0.001]", "[16, 32]", epochs: 1);
        var root = Path.Combine(TestDirectory, "runs");
        var experiments = Hyperparameter.Load(sweep).GetExperiments().ToList();
        void Write(int i, RunStatus status, string? reason = null) =>
            new RunManifest { Name = experiments[i].Name, ExperimentId = experiments[i].Id, Status = status, StopReason = reason, StartedAt = DateTimeOffset.UnixEpoch, Epoch = 1, Epochs = 1 }
                .WriteTo(Path.Combine(Directory.CreateDirectory(Path.Combine(root, experiments[i].Name)).FullName, RunManifest.FileName));
        Write(0, RunStatus.Completed);
        Write(1, RunStatus.Running);
        Write(2, RunStatus.Stopped, RunCompleted.Cancelled);
        Write(3, RunStatus.Running);
        Write(4, RunStatus.Failed);
        using var live = RunLock.Acquire(Path.Combine(root, experiments[1].Name));

        // Act
        var (code, output, _) = Tool("sweep", "status", root, "--sweep", sweep);

        // Assert
        var states = output.TrimEnd().Split('\n')[1..^1].Select(l => l.Split('\t')[0]);
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(states, Is.EqualTo(new[] { "completed", "running", "stopped", "interrupted", "failed", "pending" }));
            Assert.That(output, Does.EndWith("6 experiments: 1 completed, 1 running, 1 stopped, 1 interrupted, 1 failed, 1 pending.\n"));
        });
    }

    private static (int Code, string Output, string Error) Tool(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = TinyDlCommand.Run(args, new TestConsole(), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
