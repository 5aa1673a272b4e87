using System.Diagnostics;
using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Reporters;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

/// <summary>Odd things in a directory of runs: each is listed (as damaged when it must be), none blocks or stops the scan.</summary>
public sealed class HighscoresRobustnessTests : TemporaryDirectoryTests
{
    [Test]
    [CancelAfter(20_000)]
    public void A_fifo_in_place_of_a_run_json_is_a_damaged_run_and_never_blocks_the_scan()
    {
        // Arrange
        RunDirectories.Write(TestDirectory, "good", lr: 0.1, hidden: 8, bestAccuracy: 0.9, finalAccuracy: 0.9, bestLoss: 0.1);
        Directory.CreateDirectory(Path.Combine(TestDirectory, "fifo"));
        MakeFifo(Path.Combine(TestDirectory, "fifo", "run.json"));

        // Act
        var scan = Task.Run(() => Highscores.Scan(TestDirectory));
        var finished = scan.Wait(TimeSpan.FromSeconds(10));

        // Assert
        Assert.That(finished, Is.True, "the scan blocked");
        Assert.Multiple(() =>
        {
            Assert.That(scan.Result.Runs.Select(r => r.Run), Is.EqualTo(new[] { "fifo", "good" }));
            Assert.That(scan.Result.Runs[0].Problem, Does.Contain("is a FIFO (named pipe), not a regular file"));
        });
    }

    [Test]
    public void A_symbolic_link_loop_and_a_link_to_a_listed_run_add_nothing()
    {
        // Arrange
        RunDirectories.Write(TestDirectory, "sweep/a", lr: 0.1, hidden: 8, bestAccuracy: 0.9, finalAccuracy: 0.9, bestLoss: 0.1);
        RunDirectories.Write(TestDirectory, "sweep/b", lr: 0.2, hidden: 8, bestAccuracy: 0.8, finalAccuracy: 0.8, bestLoss: 0.2);
        Directory.CreateSymbolicLink(Path.Combine(TestDirectory, "sweep", "loop"), Path.Combine(TestDirectory, "sweep"));
        Directory.CreateSymbolicLink(Path.Combine(TestDirectory, "again"), Path.Combine(TestDirectory, "sweep"));

        // Act
        var highscores = Highscores.Scan(TestDirectory);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(highscores.Runs, Has.Count.EqualTo(2), string.Join(", ", highscores.Runs.Select(r => r.Run)));
            Assert.That(highscores.Runs.Select(r => r.Run.Split('/')[^1]), Is.EquivalentTo(new[] { "a", "b" }));
        });
    }

    [Test]
    public void A_run_whose_earlier_run_was_kept_aside_is_one_run_not_a_group()
    {
        // Arrange: the new run has not written its run.json yet; the earlier one is in previous-1.
        RunDirectories.Write(TestDirectory, "run/previous-1", lr: 0.1, hidden: 8, bestAccuracy: 0.9, finalAccuracy: 0.9, bestLoss: 0.1);

        // Act
        var highscores = Highscores.Scan(TestDirectory);

        // Assert
        Assert.That(highscores.Runs.Select(r => (r.Run, r.Problem)), Is.EqualTo(new[] { ("run", (string?)"no run.json") }));
    }

    [Test]
    public void A_running_manifest_is_running_while_its_lock_is_held_and_interrupted_once_the_holder_is_gone()
    {
        // Arrange
        RunDirectories.Write(TestDirectory, "r", lr: 0.1, hidden: 8, bestAccuracy: 0.9, finalAccuracy: 0.9, bestLoss: 0.1, RunStatus.Running, epoch: 1);

        // Act
        string? held;
        using (RunLock.Acquire(Path.Combine(TestDirectory, "r")))
        {
            held = Highscores.Scan(TestDirectory).Runs.Single().Status;
        }

        var released = Highscores.Scan(TestDirectory).Runs.Single().Status;

        // Assert
        Assert.That((held, released), Is.EqualTo(("running", "interrupted")));
    }

    [Test]
    public void Forty_thousand_metrics_make_a_readable_table_with_the_rest_in_the_csv()
    {
        // Arrange: one run with 40,000 metrics, another with 10.
        Write("big", 40_000, 3);
        Write("small", 10, 3);
        var console = new TestConsole().Width(120).SupportsAnsi(false).Colors(ColorSystem.NoColors);

        // Act
        var stopwatch = Stopwatch.StartNew();
        var ranking = Highscores.Scan(TestDirectory).Rank(new HighscoreQuery { Metric = "validation_m0" });
        HighscoresTable.Write(console, ranking);
        var csv = ranking.ToCsv();
        TestContext.Out.WriteLine($"40,000 metrics: {stopwatch.Elapsed.TotalMilliseconds:F0} ms");

        // Assert
        var header = csv.Split('\n')[0].Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(console.Lines.Max(l => l.Length), Is.LessThanOrEqualTo(120));
            Assert.That(console.Output, Does.Contain("39,992 more columns not shown (of 3 hyperparameters that differ and 40,000 metrics); --format csv lists them all."));
            Assert.That(header, Has.Length.EqualTo(4 + 3 + 40_000));
            Assert.That(header, Is.Unique);
        });
    }

    [Test]
    public void A_redirected_console_of_80_columns_gets_a_block_per_run_that_fits()
    {
        // Arrange: long run names and several hyperparameters that differ, as a sweep has.
        foreach (var (lr, hidden) in new[] { (0.001, 128), (0.001, 256), (0.0003, 128) })
        {
            RunDirectories.Write(TestDirectory, $"model=mlp_lr={lr}_hidden={hidden}_batch_size=64_epochs=3_seed=42", lr, hidden, bestAccuracy: 0.8 + hidden / 10_000.0, finalAccuracy: 0.8, bestLoss: 0.4);
        }

        var console = new TestConsole().Width(80).SupportsAnsi(false).Colors(ColorSystem.NoColors);

        // Act
        HighscoresTable.Write(console, Highscores.Scan(TestDirectory).Rank());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(console.Lines.Max(l => l.Length), Is.LessThanOrEqualTo(80), console.Output);
            Assert.That(console.Lines[0], Is.EqualTo("3 runs by best validation_accuracy, highest first"));
            Assert.That(console.Lines[1], Does.StartWith("  1. completed 3/3  lr=0.001  hidden=256"));
            Assert.That(console.Lines[2], Does.Contain("validation_accuracy 0.8256"));
            Assert.That(console.Lines[3], Is.EqualTo("     model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=3_seed=42"));
        });
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.That(mkfifo.ExitCode, Is.Zero, "mkfifo failed");
    }

    private void Write(string run, int metrics, int hyperparameters)
    {
        var manifest = new RunManifest
        {
            Name = run,
            ExperimentId = run,
            Hyperparameters = Enumerable.Range(0, hyperparameters).ToDictionary(i => $"h{i}", i => (object)(long)(run.Length + i)),
            Status = RunStatus.Completed,
            StartedAt = DateTimeOffset.UnixEpoch,
            Epoch = 1,
            Epochs = 1,
            Metrics = Enumerable.Range(0, metrics).ToDictionary(i => $"validation_m{i}", i => new MetricSummary(i, i, 1, true)),
        };
        manifest.WriteTo(Path.Combine(TestDirectory, run, RunManifest.FileName));
    }
}
