using System.CommandLine;
using System.Globalization;
using TinyDl.Examples;

namespace TinyDl.Cli;

/// <summary>
/// <c>tinydl sweep plan|slurm|k8s|status</c>: a sweep file's experiments and shards, an sbatch script for a
/// Slurm job array, an Indexed Job manifest for Kubernetes, and the state of every experiment under a run root.
/// TinyDl schedules nothing itself: the scripts hand the work to the cluster's scheduler.
/// </summary>
internal static class SweepCommand
{
    /// <summary>The worker command the scripts run unless told otherwise: the Fashion-MNIST example from a checkout.</summary>
    public const string DefaultWorker = "dotnet run -c Release --project examples/FashionMnist --";

    public static Command Create(TextWriter output, TextWriter error)
    {
        var command = new Command("sweep", "Plans a sweep file's experiments over workers, writes the launch script of a Slurm job array or a Kubernetes Indexed Job, and shows each experiment's state.");
        command.Subcommands.Add(Plan(output));
        command.Subcommands.Add(Slurm(output, error));
        command.Subcommands.Add(Kubernetes(output, error));
        command.Subcommands.Add(Status(output));
        return command;
    }

    /// <summary>Reads a sweep file, its problems as usage errors naming the line and path.</summary>
    public static Hyperparameter Load(string file)
    {
        try
        {
            return Hyperparameter.Load(file);
        }
        catch (SweepFileException problem)
        {
            throw new OptionsException(problem.Message);
        }
        catch (Exception problem) when (problem is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"Cannot read the sweep file '{file}': {problem.Message}");
        }
    }

    private static Argument<string> FileArgument() => new("file") { Description = "The sweep file (JSON: { \"hyperparameters\": { \"lr\": [0.001, 0.0003], ... } })." };

    private static Option<int> Positive(string name, string description, int? fallback = null)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", Required = fallback is null };
        if (fallback is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }

        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} needs a positive whole number.");
            }
        });
        return option;
    }

    private static Command Plan(TextWriter output)
    {
        var file = FileArgument();
        var shards = Positive("--shards", "The number of workers (array tasks, completions) [default: one per experiment].", 0);
        shards.Validators.Clear();
        var command = new Command("plan", "Lists the sweep's experiments in order with the shard each belongs to.") { file, shards };
        command.SetAction(result =>
        {
            var grid = Load(result.GetValue(file)!);
            var experiments = grid.GetExperiments().ToList();
            var count = result.GetValue(shards) is > 0 and var n ? n : experiments.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{experiments.Count} experiments over {count} shards ({Shares(experiments.Count, count)})."));
            output.WriteLine("#\tshard\tid\texperiment");
            for (var i = 0; i < experiments.Count; i++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i}\t{i % count}/{count}\t{experiments[i].Id}\t{experiments[i].Name}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Says how many experiments each shard gets, and which shards are empty.</summary>
    public static string Shares(int experiments, int shards)
    {
        var sizes = Enumerable.Range(0, shards).Select(i => new Shard(i, shards).SizeOf(experiments)).ToList();
        var text = sizes.Min() == sizes.Max() ? $"{sizes[0]} each" : $"{sizes.Max()} or {sizes.Min()} each";
        return sizes.Contains(0) ? $"{text}; shards {experiments} to {shards - 1} are empty" : text;
    }

    private static Command Slurm(TextWriter output, TextWriter error)
    {
        var file = FileArgument();
        var tasks = Positive("--tasks", "The number of array tasks (workers).");
        var root = new Option<string>("--out") { Description = "The run root on storage every node shares; the workers write their runs there.", Required = true, HelpName = "DIR" };
        var worker = new Option<string>("--worker") { Description = $"The worker command; the script adds --sweep FILE --shard slurm --out DIR [default: {DefaultWorker}].", DefaultValueFactory = _ => DefaultWorker };
        var requeue = new Option<bool>("--requeue") { Description = "Requeue a task whose worker exits with 75 (stopped by the warning signal): scontrol requeue $SLURM_JOB_ID." };
        var warning = Positive("--signal-seconds", "Seconds before the time limit at which Slurm sends SIGUSR1 to the batch shell.", 120);
        var time = new Option<string?>("--time") { Description = "The time limit per task (sbatch --time), such as 02:00:00." };
        var partition = new Option<string?>("--partition") { Description = "The partition (sbatch --partition)." };
        var logs = new Option<string?>("--logs") { Description = "The directory of the tasks' output files, one per task [default: DIR/.slurm-logs, which highscores passes over].", HelpName = "DIR" };
        var extra = new Option<string?>("--worker-args") { Description = "More options for every worker, such as \"--data /shared/fashion-mnist --deterministic\"." };
        var command = new Command("slurm", "Writes an sbatch script for a job array: one task per shard, signal forwarding, output per task. Submit it with sbatch.")
        {
            file, tasks, root, worker, requeue, warning, time, partition, logs, extra,
        };
        command.SetAction(result =>
        {
            var path = Path.GetFullPath(result.GetValue(file)!);
            var experiments = Load(path).ExperimentCount;
            var count = result.GetValue(tasks);
            var runs = RunRoot.Writable(result.GetValue(root)!, error);

            // Slurm opens the output files before the script runs: their directory must exist at submission.
            var logDirectory = Path.GetFullPath(result.GetValue(logs) ?? Path.Combine(runs, ".slurm-logs"));
            Directory.CreateDirectory(logDirectory);
            output.Write(SlurmScript.Write(new SlurmScript.Settings(path, experiments, count, runs, result.GetValue(worker)!, result.GetValue(extra))
            {
                Requeue = result.GetValue(requeue),
                WarningSeconds = result.GetValue(warning),
                Time = result.GetValue(time),
                Partition = result.GetValue(partition),
                Logs = logDirectory,
            }));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Kubernetes(TextWriter output, TextWriter error)
    {
        var file = FileArgument();
        var completions = Positive("--completions", "The Job's completions (shards) [default: one per experiment].", 0);
        completions.Validators.Clear();
        var parallelism = Positive("--parallelism", "How many pods run at once [default: the completions].", 0);
        parallelism.Validators.Clear();
        var image = new Option<string>("--image") { Description = "The container image with the worker.", Required = true };
        var claim = new Option<string>("--claim") { Description = "The PersistentVolumeClaim (ReadWriteMany) of the shared run root.", Required = true };
        var worker = new Option<string>("--worker") { Description = "The worker command in the image, split at spaces; --sweep, --shard k8s/N and --out are added.", DefaultValueFactory = _ => "dotnet /app/FashionMnist.dll" };
        var extra = new Option<string?>("--worker-args") { Description = "More options for every worker, split at spaces." };
        var name = new Option<string>("--name") { Description = "The Job's and ConfigMap's name.", DefaultValueFactory = _ => "tinydl-sweep" };
        var command = new Command("k8s", "Writes a Kubernetes Indexed Job (and the ConfigMap holding the sweep file): apply it with kubectl apply -f.")
        {
            file, completions, parallelism, image, claim, worker, extra, name,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(file)!;
            var experiments = Load(path).ExperimentCount;
            var count = result.GetValue(completions) is > 0 and var n ? n : (int)experiments;
            if (count > experiments)
            {
                error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"note: {count} completions for {experiments} experiments: {count - experiments} pods will find their shard empty."));
            }

            output.Write(IndexedJobManifest.Write(new IndexedJobManifest.Settings(
                result.GetValue(name)!, File.ReadAllText(path), count, result.GetValue(parallelism) is > 0 and var p ? p : count,
                result.GetValue(image)!, result.GetValue(claim)!, result.GetValue(worker)!, result.GetValue(extra))));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Status(TextWriter output)
    {
        var root = new Argument<string>("root") { Description = "The run root of the sweep." };
        var file = new Option<string?>("--sweep") { Description = "The sweep file: list every experiment, those without a run directory as pending.", HelpName = "FILE" };
        var command = new Command("status", "Shows each experiment's state under a run root: completed, running, stopped, interrupted, failed or pending, from the run directories and their locks.") { root, file };
        command.SetAction(result => SweepStatus.Write(result.GetValue(root)!, result.GetValue(file) is { } f ? Load(f) : null, output));
        return command;
    }
}
