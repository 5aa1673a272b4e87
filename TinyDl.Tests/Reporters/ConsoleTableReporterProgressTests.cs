using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Reporters;
using TinyDl.Tests.Support;
using TorchSharp;

namespace TinyDl.Tests.Reporters;

public sealed class ConsoleTableReporterProgressTests
{
    private const string ClearLine = "\r\u001b[2K";

    [Test]
    public void An_interactive_console_shows_batches_rate_and_eta_and_clears_them_before_the_row()
    {
        // Arrange
        var console = new TestConsole().Width(120).Colors(ColorSystem.TrueColor).EmitAnsiSequences().Interactive();
        var clock = new ManualTimeProvider();
        using var reporter = new ConsoleTableReporter(console) { TimeProvider = clock };
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act: one batch every half second
        run.Start(stages: Stage.Train);
        RunBatches(run, clock, batches: 4);
        run.Epoch(Stage.Train, 1, 4, FakeRun.Values(("loss", 0.5, false)));

        // Assert
        var output = console.Output;
        var row = output.IndexOf("epoch  train_loss", StringComparison.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(output, Does.StartWith(ClearLine + "epoch 1 train 1/4 [#####---------------] 2.0 batches/s ETA 00:01"));
            Assert.That(output, Does.Contain(ClearLine + "epoch 1 train 3/4 [###############-----] 2.0 batches/s ETA 00:00"));
            Assert.That(row, Is.GreaterThan(0));
            Assert.That(output[..row], Does.EndWith("ETA 00:00" + ClearLine), "the progress line is erased right before the table");
            Assert.That(output[row..], Does.Not.Contain("batches/s"));
        });
    }

    [Test]
    public void The_progress_line_is_redrawn_at_most_every_100_milliseconds()
    {
        // Arrange
        var console = new TestConsole().Width(120).EmitAnsiSequences().Interactive();
        var clock = new ManualTimeProvider();
        using var reporter = new ConsoleTableReporter(console) { TimeProvider = clock };
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act: 10 batches within 90 ms
        run.Start(stages: Stage.Train);
        RunBatches(run, clock, batches: 10, every: TimeSpan.FromMilliseconds(9));

        // Assert
        Assert.That(console.Output.Split(ClearLine).Count(s => s.Contains("batches/s", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void A_console_that_is_not_interactive_gets_no_progress_line()
    {
        // Arrange
        var console = new TestConsole().Width(120).Colors(ColorSystem.TrueColor).EmitAnsiSequences();
        var clock = new ManualTimeProvider();
        using var reporter = new ConsoleTableReporter(console) { TimeProvider = clock };
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start(stages: Stage.Train);
        RunBatches(run, clock, batches: 4);
        run.Epoch(Stage.Train, 1, 4, FakeRun.Values(("loss", 0.5, false)));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(console.Output, Does.Not.Contain("batches"));
            Assert.That(console.Output, Does.StartWith("epoch  train_loss"));
        });
    }

    [Test]
    public void A_redirected_console_gets_neither_progress_nor_escape_codes()
    {
        // Arrange
        var console = ConsoleRuns.Redirected().Interactive();
        var clock = new ManualTimeProvider();
        using var reporter = new ConsoleTableReporter(console) { TimeProvider = clock };
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start(stages: Stage.Train);
        RunBatches(run, clock, batches: 4);
        run.Epoch(Stage.Train, 1, 4, FakeRun.Values(("loss", 0.5, false)));
        run.End(RunStatus.Completed, 1, 4);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(console.Output, Does.Not.Contain("batches"));
            Assert.That(console.Output, Does.Not.Contain('\u001b'));
            Assert.That(console.Output, Does.Not.Contain('\r'));
        });
    }

    [Test]
    public void An_epoch_whose_size_is_unknown_shows_the_batch_count_and_rate_without_eta()
    {
        // Arrange
        var epoch = new EpochStarted(Stage.Validation, 2, 100, TimeSpan.Zero, Batches: null);

        // Act
        var text = ProgressText(epoch, batch: 7, elapsed: TimeSpan.FromSeconds(2));

        // Assert
        Assert.That(text, Is.EqualTo("epoch 2 validation 7 batches 3.5 batches/s"));
    }

    private static string ProgressText(EpochStarted epoch, int batch, TimeSpan elapsed)
    {
        // Through the reporter, so the test holds whatever class draws the line.
        var console = new TestConsole().Width(120).EmitAnsiSequences().Interactive();
        var clock = new ManualTimeProvider();
        using var reporter = new ConsoleTableReporter(console) { TimeProvider = clock };
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);
        run.Start(stages: Stage.Validation);
        run.EpochStartedSubject.OnNext(epoch);
        clock.Advance(elapsed);
        using var tensor = torch.zeros(1);
        run.BatchCompletedSubject.OnNext(new BatchCompleted(epoch.Stage, epoch.Epoch, epoch.GlobalStep, elapsed, batch, 1, tensor, tensor, tensor, null));
        return console.Output.Replace(ClearLine, string.Empty, StringComparison.Ordinal);
    }

    private static void RunBatches(FakeRun run, ManualTimeProvider clock, int batches, TimeSpan? every = null)
    {
        using var tensor = torch.zeros(1);
        run.EpochStartedSubject.OnNext(new EpochStarted(Stage.Train, 1, 0, TimeSpan.Zero, batches));
        for (var batch = 1; batch <= batches; batch++)
        {
            clock.Advance(every ?? TimeSpan.FromSeconds(0.5));
            run.BatchCompletedSubject.OnNext(new BatchCompleted(Stage.Train, 1, batch, TimeSpan.Zero, batch, 1, tensor, tensor, tensor, tensor));
        }
    }
}
