using System.Diagnostics;
using TinyDl.Runs;
using TinyDl.Tests.Examples;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.RunSafety;

/// <summary>
/// The situations that lost data or hid a broken run before, replayed with the Fashion-MNIST example as a
/// user runs it (a child process on a small subset of the real data): each ends with one line on standard
/// error, the documented exit code, and every file of every earlier run as it was.
/// </summary>
[NonParallelizable]
public sealed class ExampleSituationsTests : TemporaryDirectoryTests
{
    private string _data = "";

    private string Runs => Path.Combine(TestDirectory, "runs");

    [SetUp]
    public void WriteData() => _data = IdxFiles.WriteSubset(Path.Combine(TestDirectory, "data"), train: 600, test: 200);

    [Test]
    public void Running_the_same_command_again_without_resume_keeps_the_earlier_run_aside_whole()
    {
        // Arrange
        var (_, first, _) = Example();
        var run = RunOf(first);
        var before = Files.Checksums(run);

        // Act
        var (code, output, error) = Example();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain($"Kept the earlier run of {Path.GetFileName(run)} aside in {Path.Combine(run, "previous-1")}"));
            Assert.That(Files.Checksums(Path.Combine(run, "previous-1")), Is.EqualTo(before), "every file of the earlier run, byte for byte");
            Assert.That(before.Keys, Does.Contain("checkpoints/best.ckpt").And.Contain("model.bin").And.Contain("run.json"));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public void A_second_process_on_a_run_in_progress_is_refused_and_takes_over_once_the_first_is_killed()
    {
        // Arrange: a long run holds the directory.
        var name = "model=mlp_lr=0.001_hidden=16_batch_size=64_epochs=200_seed=42_validation_size=100";
        var run = Path.Combine(Runs, name);
        using var first = ExampleProcess.Start("FashionMnist", Arguments("--epochs", "200"));
        WaitUntil(() => RunLock.IsHeld(run) && File.Exists(Path.Combine(run, "checkpoints", "last.ckpt")), "the first run's first checkpoint");

        // Act
        var clock = Stopwatch.StartNew();
        var (refusedCode, _, refusedError) = Example("--epochs", "200");
        var refusedAfter = clock.Elapsed;
        var stillThere = File.Exists(Path.Combine(run, "checkpoints", "last.ckpt")) && RunLock.IsHeld(run);
        first.Kill(entireProcessTree: true);
        first.WaitForExit();
        var (code, output, error) = Example("--epochs", "2", "--resume");

        // Assert
        TestContext.Out.WriteLine($"second process refused after {refusedAfter.TotalSeconds:F1} s (start-up included)");
        Assert.Multiple(() =>
        {
            Assert.That(refusedCode, Is.EqualTo(4));
            AssertOneLine(refusedError, $"error: The run directory '{run}' is in use by process {first.Id} on {Environment.MachineName}");
            Assert.That(stillThere, Is.True, "the first run kept its checkpoint and its lock");
            Assert.That(code, Is.Zero, error);
            Assert.That(output, Does.Contain("No checkpoint of").Or.Contain("Resuming from"), "a different experiment (2 epochs): its own directory");
        });
    }

    [Test]
    public void A_run_whose_loss_becomes_nan_fails_naming_the_batch_and_saves_nothing_as_best()
    {
        // Act
        var (code, output, error) = Example("--lr", "1e30");

        // Assert
        var run = Directory.GetDirectories(Runs).Single();
        var manifest = RunManifest.Read(Path.Combine(run, "run.json"));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1), output);
            AssertOneLine(error, "error: The training loss is ");
            Assert.That(error, Does.Match(@"at epoch 1, batch \d+ \(global step \d+\)"));
            Assert.That(manifest.Status, Is.EqualTo(RunStatus.Failed));
            Assert.That(File.Exists(Path.Combine(run, "checkpoints", "best.ckpt")), Is.False);
            Assert.That(File.Exists(Path.Combine(run, "model.bin")), Is.False);
        });
    }

    [Test]
    public void Resuming_says_what_it_does_and_a_strict_resume_without_a_checkpoint_fails()
    {
        // Arrange
        var (_, first, _) = Example();
        var earlier = Files.Checksums(RunOf(first));

        // Act: another learning rate is another experiment, so there is nothing of it to resume.
        var (code, output, _) = Example("--lr", "0.002", "--resume");
        var (strictCode, _, strictError) = Example("--lr", "0.003", "--resume-strict");
        var untouched = Files.Checksums(RunOf(first));
        var (againCode, again, _) = Example("--resume");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(output, Does.Contain("No checkpoint of model=mlp_lr=0.002_").And.Contain("yet; starting at epoch 1."));
            Assert.That(strictCode, Is.EqualTo(4));
            AssertOneLine(strictError, "error: Nothing to resume: there is no checkpoint in");
            Assert.That(againCode, Is.Zero);
            Assert.That(again, Does.Contain("all 2 epochs are done").And.Contain("Already complete: epoch 2 of 2; nothing to run."));
            Assert.That(untouched, Is.EqualTo(earlier), "the other experiments left the first run alone");
        });
    }

    [Test]
    public void A_resume_rebuilds_a_deleted_csv_from_the_checkpoint_s_history()
    {
        // Arrange
        var (_, first, _) = Example();
        var run = RunOf(first);
        var original = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        File.Delete(Path.Combine(run, "metrics.csv"));

        // Act
        var (code, _, error) = Example("--resume");

        // Assert
        var rebuilt = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, error);
            Assert.That(rebuilt.Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "epoch", "1", "2" }));
            Assert.That(rebuilt.Select(WithoutDuration), Is.EqualTo(original.Select(WithoutDuration)), "every value, test columns included");
        });
    }

    [Test]
    public void A_damaged_last_checkpoint_is_refused_with_the_intact_one_offered_and_nothing_changed()
    {
        // Arrange
        var (_, first, _) = Example();
        var run = RunOf(first);
        var last = Path.Combine(run, "checkpoints", "last.ckpt");
        var bytes = File.ReadAllBytes(last);
        bytes[bytes.Length / 2] ^= 0x5A;
        File.WriteAllBytes(last, bytes);
        var before = Files.Checksums(run);

        // Act
        var (code, _, error) = Example("--resume");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(4));
            AssertOneLine(error, "error: Cannot resume from");
            Assert.That(error, Does.Contain("is damaged").And.Contain("best.ckpt (epoch").And.Contain("--resume-from checkpoints/"));
            Assert.That(Files.Checksums(run), Is.EqualTo(before));
        });
    }

    [Test]
    public void A_resume_on_other_data_is_refused_naming_the_split_and_nothing_changed()
    {
        // Arrange
        var (_, first, _) = Example();
        var before = Files.Checksums(RunOf(first));
        var otherData = IdxFiles.WriteSubset(Path.Combine(TestDirectory, "other"), train: 601, test: 200);

        // Act
        var (code, _, error) = Example("--resume", "--data", otherData);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(4));
            AssertOneLine(error, "error: Cannot resume from");
            Assert.That(error, Does.Contain("the 'train' data fingerprint differs"));
            Assert.That(Files.Checksums(RunOf(first)), Is.EqualTo(before));
        });
    }

    [Test]
    public void An_out_directory_that_is_a_file_is_refused_in_one_line()
    {
        var file = Path.Combine(TestDirectory, "a-file");
        File.WriteAllText(file, "mine");

        var (code, _, error) = ExampleProcess.RunApart(Arguments("--out", file));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(4));
            AssertOneLine(error, "error: Cannot create the run directory");
            Assert.That(File.ReadAllText(file), Is.EqualTo("mine"));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public void A_fifo_or_a_broken_file_in_place_of_data_is_a_data_error_and_never_blocks()
    {
        // Arrange
        var fifo = IdxFiles.WriteSubset(Path.Combine(TestDirectory, "fifo"), train: 600, test: 200);
        File.Delete(Path.Combine(fifo, "t10k-labels-idx1-ubyte.gz"));
        using (var mkfifo = Process.Start("mkfifo", [Path.Combine(fifo, "t10k-labels-idx1-ubyte.gz")]))
        {
            mkfifo.WaitForExit();
        }

        var broken = IdxFiles.WriteSubset(Path.Combine(TestDirectory, "broken"), train: 600, test: 200);
        File.WriteAllBytes(Path.Combine(broken, "train-images-idx3-ubyte.gz"), [0x1f, 0x8b, 1, 2, 3]);

        // Act
        var (fifoCode, _, fifoError) = ExampleProcess.RunApart("--data", fifo, "--out", Runs);
        var (brokenCode, _, brokenError) = ExampleProcess.RunApart("--data", broken, "--out", Runs);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((fifoCode, brokenCode), Is.EqualTo((3, 3)));
            AssertOneLine(fifoError, "error: ");
            Assert.That(fifoError, Does.Contain("is a FIFO (named pipe), not a regular file"));
            AssertOneLine(brokenError, "error: ");
            Assert.That(brokenError, Does.Contain("train-images-idx3-ubyte.gz"));
        });
    }

    [Test]
    public void Evaluating_a_missing_run_or_a_truncated_model_is_refused_in_one_line()
    {
        // Arrange
        var (_, first, _) = Example();
        var run = RunOf(first);
        var model = Path.Combine(run, "model.bin");
        File.WriteAllBytes(model, File.ReadAllBytes(model)[..100]);

        // Act
        var (missingCode, _, missingError) = ExampleProcess.RunApart("--evaluate", Path.Combine(Runs, "nothing-here"), "--data", _data);
        var (truncatedCode, _, truncatedError) = ExampleProcess.RunApart("--evaluate", run, "--data", _data);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((missingCode, truncatedCode), Is.EqualTo((4, 4)));
            AssertOneLine(missingError, "error: There is no run directory");
            AssertOneLine(truncatedError, $"error: '{model}' is not the file the run saved: its SHA-256 differs");
        });
    }

    [Test]
    public void A_full_disk_fails_the_run_with_a_storage_error_and_keeps_the_earlier_run()
    {
        // Arrange: an earlier run inside a small tmpfs that has room for it and little more.
        var (_, first, _) = Example();
        var earlierRun = RunOf(first);
        // tmpfs gives every file and directory whole 4 KiB pages.
        var size = Files.Checksums(earlierRun).Keys.Sum(f => (new FileInfo(Path.Combine(earlierRun, f)).Length + 4095) / 4096 * 4096)
            + (4096 * (Directory.GetDirectories(earlierRun, "*", SearchOption.AllDirectories).Length + 1));
        var disk = Directory.CreateDirectory(Path.Combine(TestDirectory, "disk")).FullName;
        if (!Mount(disk, size + (64 << 10)))
        {
            Assert.Ignore("Mounting a small tmpfs needs root (or CAP_SYS_ADMIN), which this machine does not give; the disk-full case was not run here.");
        }

        try
        {
            var copy = Path.Combine(disk, Path.GetFileName(earlierRun));
            CopyDirectory(earlierRun, copy);
            var before = Files.Checksums(copy);

            // Act
            var (code, _, error) = ExampleProcess.RunApart(Arguments("--out", disk));

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(5), error);
                AssertOneLine(error, "error: ");
                Assert.That(error, Does.Contain("No space left on device"));
                Assert.That(Files.Checksums(Path.Combine(copy, "previous-1")), Is.EqualTo(before), "the earlier run, byte for byte");
            });
        }
        finally
        {
            using var umount = Process.Start("umount", [disk]);
            umount.WaitForExit();
        }
    }

    private static void AssertOneLine(string error, string start)
    {
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith(start));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }

    private static string WithoutDuration(string line)
    {
        var cells = line.Split(',');
        return string.Join(',', cells[..^1]);
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), $"waited 60 s for {what}");
            Thread.Sleep(50);
        }
    }

    private static bool Mount(string directory, long bytes)
    {
        try
        {
            using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={bytes}", "tmpfs", directory]) { RedirectStandardError = true });
            mount!.WaitForExit();
            return mount.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories).Where(f => Path.GetFileName(f) is not ("run.lock" or "run.owner.json")))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private string RunOf(string output) => Path.Combine(Runs, output.Split('\n')[0].Trim());

    /// <summary>The test's defaults, each replaced by the same option in <paramref name="extra"/>, then the extra flags.</summary>
    private string[] Arguments(params string[] extra)
    {
        var options = new List<(string Name, string? Value)> { ("--epochs", "2"), ("--hidden", "16"), ("--validation-size", "100"), ("--data", _data), ("--out", Runs) };
        for (var i = 0; i < extra.Length; i++)
        {
            var value = i + 1 < extra.Length && !extra[i + 1].StartsWith("--", StringComparison.Ordinal) ? extra[++i] : null;
            var name = extra[value is null ? i : i - 1];
            options.RemoveAll(o => o.Name == name);
            options.Add((name, value));
        }

        return [.. options.SelectMany(o => o.Value is null ? new[] { o.Name } : [o.Name, o.Value])];
    }

    private (int Code, string Output, string Error) Example(params string[] extra) => ExampleProcess.RunApart(Arguments(extra));
}
