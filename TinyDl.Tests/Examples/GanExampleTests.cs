using System.Diagnostics;
using System.Globalization;
using System.Reactive.Linq;
using Gan;
using Spectre.Console.Testing;
using TinyDl.Examples;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Examples;

/// <summary>The GAN example run in-process, as its Program runs it, on small settings: two optimizers, manual optimization, resume.</summary>
public sealed class GanExampleTests : TemporaryDirectoryTests
{
    // Batches of 1024 of the 8192 points: 8 steps per epoch, so a few epochs take a second or two.
    private const int BatchSize = 1024;
    private int _threads;

    // The example pins libtorch to one thread (see GanRun.CreateModel); the other tests get theirs back.
    [OneTimeSetUp]
    public void SaveThreads() => _threads = get_num_threads();

    [OneTimeTearDown]
    public void RestoreThreads() => set_num_threads(_threads);

    [Test]
    public void Training_changes_both_networks_and_reports_both_losses_every_epoch()
    {
        // Arrange
        var options = Options.Parse(["--epochs", "3", "--batch-size", $"{BatchSize}", "--out", TestDirectory]);
        var initial = GanRun.CreateModel(options.Seed);
        var before = (Generator: Flatten(initial.Generator), Discriminator: Flatten(initial.Discriminator));
        var trainEpochs = new List<EpochCompleted>();

        // Act
        var run = GanRun.Run(options, new TestConsole().Width(200), CancellationToken.None, runner =>
            runner.EpochCompleted.Where(e => e.Stage == Stage.Train).Subscribe(trainEpochs.Add));

        // Assert
        var csv = File.ReadAllLines(Path.Combine(run.Directory, "metrics.csv"));
        var scalars = TensorBoardScenario.Scalars(EventFileReader.Read(Directory.GetFiles(run.Directory, "events.out.tfevents.*").Single()));
        Assert.Multiple(() =>
        {
            Assert.That(run.Result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(Flatten(run.Model.Generator), Is.Not.EqualTo(before.Generator), "generator");
            Assert.That(Flatten(run.Model.Discriminator), Is.Not.EqualTo(before.Discriminator), "discriminator");
            Assert.That(trainEpochs.Select(e => e.Epoch), Is.EqualTo(new[] { 1, 2, 3 }));
            foreach (var epoch in trainEpochs)
            {
                Assert.That(epoch.Metrics.Select(m => m.Name), Is.EqualTo(new[] { "d_loss", "g_loss" }), $"epoch {epoch.Epoch}");
                Assert.That(epoch.Metrics["d_loss"], Is.Positive.And.LessThan(10), $"epoch {epoch.Epoch}");
                Assert.That(epoch.Metrics["g_loss"], Is.Positive.And.LessThan(10), $"epoch {epoch.Epoch}");
            }

            Assert.That(run.Result.Final[Stage.Train]["d_loss"], Is.EqualTo(trainEpochs[^1].Metrics["d_loss"]));
            Assert.That(run.Result.Final[Stage.Train]["g_loss"], Is.EqualTo(trainEpochs[^1].Metrics["g_loss"]));
            Assert.That(csv[0], Is.EqualTo("epoch,train_d_loss,train_g_loss,validation_mode_distance,validation_near_mode,validation_modes,duration"));
            Assert.That(csv.Skip(1).Select(row => row.Split(',')[0]), Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(csv.Skip(1).Select(row => Number(row, 1)), Is.EqualTo(trainEpochs.Select(e => e.Metrics["d_loss"])));
            Assert.That(csv.Skip(1).Select(row => Number(row, 2)), Is.EqualTo(trainEpochs.Select(e => e.Metrics["g_loss"])));
            foreach (var tag in new[] { "train/d_loss", "train/g_loss", "validation/modes" })
            {
                Assert.That(scalars.Where(s => s.Tag == tag).Select(s => s.Step), Is.EqualTo(new long[] { 8, 16, 24 }), tag);
            }
        });
    }

    [Test]
    public void A_resumed_run_continues_after_its_checkpoint_and_ends_as_an_uninterrupted_one()
    {
        // Arrange: 2 epochs, then the same command to epoch 4 with --resume, on fresh objects.
        string[] Arguments(string name, int epochs) => ["--epochs", $"{epochs}", "--batch-size", $"{BatchSize}", "--out", Path.Combine(TestDirectory, name)];
        var console = new TestConsole().Width(200);
        GanRun.Run(Options.Parse(Arguments("resumed", 2)), console, CancellationToken.None);
        var resumedEpochs = new List<int>();
        var firstEpoch = 0;

        // Act
        var resumed = GanRun.Run(Options.Parse([.. Arguments("resumed", 4), "--resume"]), console, CancellationToken.None, runner =>
        {
            runner.RunStarted.Subscribe(e => firstEpoch = e.Epoch);
            runner.EpochCompleted.Where(e => e.Stage == Stage.Train).Subscribe(e => resumedEpochs.Add(e.Epoch));
        });
        var uninterrupted = GanRun.Run(Options.Parse(Arguments("uninterrupted", 4)), console, CancellationToken.None);

        // Assert: equal weights after two more Adam steps per batch need both optimizers' moments
        // restored, and the global random state (the step's noise) too.
        var resumedCsv = File.ReadAllLines(Path.Combine(resumed.Directory, "metrics.csv"));
        var uninterruptedCsv = File.ReadAllLines(Path.Combine(uninterrupted.Directory, "metrics.csv"));
        static string[] WithoutDuration(string[] rows) => [.. rows.Select(row => row[..row.LastIndexOf(',')])];
        Assert.Multiple(() =>
        {
            Assert.That(firstEpoch, Is.EqualTo(3));
            Assert.That(resumedEpochs, Is.EqualTo(new[] { 3, 4 }));
            Assert.That(resumed.Result.Epoch, Is.EqualTo(4));
            Assert.That(resumed.Result.GlobalStep, Is.EqualTo(uninterrupted.Result.GlobalStep));
            Assert.That(Flatten(resumed.Model.Generator), Is.EqualTo(Flatten(uninterrupted.Model.Generator)), "generator weights");
            Assert.That(Flatten(resumed.Model.Discriminator), Is.EqualTo(Flatten(uninterrupted.Model.Discriminator)), "discriminator weights");
            Assert.That(resumedCsv.Skip(1).Select(row => row.Split(',')[0]), Is.EqualTo(new[] { "1", "2", "3", "4" }));
            Assert.That(WithoutDuration(resumedCsv), Is.EqualTo(WithoutDuration(uninterruptedCsv)));
        });
    }

    [Test]
    public void A_run_without_resume_keeps_an_earlier_run_of_the_same_experiment_aside_whole()
    {
        // Arrange
        Options Epochs(int epochs) => Options.Parse(["--epochs", $"{epochs}", "--batch-size", $"{BatchSize}", "--out", TestDirectory]);
        var console = new TestConsole().Width(200);
        var first = GanRun.Run(Epochs(2), console, CancellationToken.None);
        var earlier = Checksums(first.Directory);

        // Act
        var second = GanRun.Run(Epochs(1), console, CancellationToken.None);

        // Assert
        var csv = File.ReadAllLines(Path.Combine(second.Directory, "metrics.csv"));
        var aside = Path.Combine(second.Directory, "previous-1");
        Assert.Multiple(() =>
        {
            Assert.That(second.Directory, Is.EqualTo(first.Directory));
            Assert.That(csv.Skip(1).Select(row => row.Split(',')[0]), Is.EqualTo(new[] { "1" }));
            Assert.That(Checksums(aside), Is.EqualTo(earlier), "every file of the earlier run, byte for byte");
            Assert.That(earlier.Keys, Does.Contain("checkpoints/last.ckpt").And.Contain("run.json").And.Contain("metrics.csv"));
        });
    }

    private static Dictionary<string, string> Checksums(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(directory, f).StartsWith("previous-", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("run.lock", StringComparison.Ordinal) && Path.GetFileName(f) != "run.owner.json")
            .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    [Test]
    public void The_modes_metric_counts_the_modes_that_get_at_least_two_percent_of_the_samples()
    {
        // Arrange: 100 samples: 50 near mode 0, 2 near mode 3 (2 %), 1 near mode 5 (1 %), and 47 closest to
        // mode 1 but too far from it to count.
        using var metric = new ModesCovered();
        var nearest = cat([full(50, 0L), full(2, 3L), full(1, 5L), full(47, 1L)]);
        var near = cat([ones(53), zeros(47)]);
        var batch = new BatchCompleted(Stage.Validation, 1, 0, TimeSpan.Zero, 1, 100, null, null, null, null)
        {
            Values = new Dictionary<string, Tensor> { ["nearest_mode"] = nearest, ["near_mode"] = near },
        };

        // Act
        metric.Reset();
        metric.Update(batch);

        // Assert
        Assert.That(metric.Compute(), Is.EqualTo(2));
    }

    [TestCase("--epochs 0", "--epochs", "must be a positive integer; got '0'")]
    [TestCase("--epochs 2.5", "--epochs", "must be a positive integer; got '2.5'")]
    [TestCase("--batch-size=-8", "--batch-size", "must be a positive integer; got '-8'")]
    [TestCase("--lr 0", "--lr", "must be a positive, finite number such as 0.001 or 1e-3; got '0'")]
    [TestCase("--lr 0,001", "--lr", "got '0,001'")]
    [TestCase("--lr NaN", "--lr", "got 'NaN'")]
    [TestCase("--seed -1", "--seed", "must be a non-negative integer; got '-1'")]
    [TestCase("--lr", "--lr", "Option --lr needs a value, as in '--lr VALUE' or '--lr=VALUE'.")]
    [TestCase("--out --resume", "--out", "Option --out needs a value")]
    [TestCase("--resume=yes", "--resume", "Option --resume takes no value; got 'yes'.")]
    [TestCase("--epochs 3 --epochs=4", "--epochs", "Option --epochs is given more than once.")]
    [TestCase("--hidden 64", "--hidden", "Unknown option '--hidden'. Known options: --epochs, --batch-size, --lr, --seed, --out, --resume-from, --help, --resume, --resume-strict, --restart.")]
    [TestCase("--epochs=3 extra", "extra", "Unexpected argument 'extra'")]
    public void A_bad_command_line_is_rejected_naming_the_option(string commandLine, string option, string message) =>
        OptionAssert.Rejected(() => Options.Parse(commandLine.Split(' ')), option, message);

    [Test]
    public void The_defaults_name_an_experiment_without_the_epoch_count_so_more_epochs_can_resume_it()
    {
        var options = Options.Parse([]);

        Assert.Multiple(() =>
        {
            Assert.That((options.Epochs, options.BatchSize, options.LearningRate, options.Seed, options.Resume.Resume), Is.EqualTo((30, 128, 0.002, 42L, false)));
            Assert.That(options.Out, Is.EqualTo(Path.Combine("runs", "gan")));
            Assert.That(options.ToExperiment().Name, Is.EqualTo("lr=0.002_batch_size=128_seed=42"));
            Assert.That(Options.Parse(["--epochs", "50"]).ToExperiment(), Is.EqualTo(options.ToExperiment()));
            Assert.That(Options.Parse(["-h"]).Help, Is.True);
        });
    }

    [Test]
    [NonParallelizable]
    public void Sigterm_stops_the_program_after_a_batch_and_resume_finishes_the_run()
    {
        // Arrange: a run far too long to finish, stopped once its first epoch is in the table.
        string[] arguments = ["--batch-size", "512", "--out", TestDirectory];
        using var process = StartExample([.. arguments, "--epochs", "100000"]);
        var output = new System.Text.StringBuilder();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !System.Text.RegularExpressions.Regex.IsMatch(line, @"^\s+1\s+\d"))
        {
            output.AppendLine(line);
        }

        // Act
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        output.Append(process.StandardOutput.ReadToEnd());
        process.WaitForExit();
        var stopped = Convert.ToInt32(File.ReadAllLines(Directory.GetFiles(TestDirectory, "metrics.csv", SearchOption.AllDirectories).Single())[^1].Split(',')[0], CultureInfo.InvariantCulture);
        using var resume = StartExample([.. arguments, "--epochs", $"{stopped + 1}", "--resume"]);
        var resumed = resume.StandardOutput.ReadToEnd();
        resume.WaitForExit();

        // Assert
        var csv = File.ReadAllLines(Directory.GetFiles(TestDirectory, "metrics.csv", SearchOption.AllDirectories).Single());
        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(130), output.ToString());
            Assert.That(output.ToString(), Does.Contain($"Stopped after epoch {stopped}").And.Contain("--resume"));
            Assert.That(resume.ExitCode, Is.EqualTo(0), resumed);
            Assert.That(csv.Skip(1).Select(row => Convert.ToInt32(row.Split(',')[0], CultureInfo.InvariantCulture)), Is.EqualTo(Enumerable.Range(1, stopped + 1)));
        });
    }

    [Test]
    public void A_bad_option_makes_the_program_print_the_problem_and_the_usage()
    {
        using var process = StartExample(["--epochs", "zero"]);
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(Options.UsageExitCode));
            Assert.That(output, Does.Contain("error: Option --epochs must be a positive integer; got 'zero'.").And.Contain("Usage: Gan"));
        });
    }

    private static Process StartExample(string[] arguments) => ExampleProcess.Start("Gan", arguments);

    private static double Number(string row, int column) => double.Parse(row.Split(',')[column], CultureInfo.InvariantCulture);

    private static float[] Flatten(nn.Module module) => [.. module.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray())];
}
