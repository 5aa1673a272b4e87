using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Reporters;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

public sealed class ConsoleTableReporterTests
{
    private const string Header = "epoch  train_loss  train_accuracy  validation_loss  validation_accuracy  duration";
    private const string Rule = "-----  ----------  --------------  ---------------  -------------------  --------";

    [Test]
    public void A_redirected_console_gets_a_plain_table_with_stars_on_the_best_values()
    {
        // Arrange
        var console = ConsoleRuns.Redirected();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        ConsoleRuns.RunThreeEpochs(run);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(console.Lines, Is.EqualTo(new[]
            {
                Header,
                Rule,
                "    1     0.9000*         0.6000*          0.8000*              0.6500*      3.00",
                "    2     0.5000*         0.7000*          0.8500               0.7000*      3.00",
                "    3     0.4000*         0.6500           0.7500*              0.7000       3.00",
                "Run completed: 3 epochs, 10.0 s",
            }));
            Assert.That(console.Output, Does.Not.Contain('\u001b'));
        });
    }

    [Test]
    public void A_resumed_run_marks_only_values_that_beat_the_best_before_the_resume()
    {
        // Arrange: the first attempt reached validation loss 0.3 and accuracy 0.9
        var console = ConsoleRuns.Redirected();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);
        var best = new Dictionary<Stage, MetricValues> { [Stage.Validation] = FakeRun.Values(("loss", 0.3, false), ("accuracy", 0.9, true)) };

        // Act
        run.RunStartedSubject.OnNext(new RunStarted(3, 20, TimeSpan.Zero, null, 3, [Stage.Train, Stage.Validation]) { Best = best });
        run.Epoch(Stage.Train, 3, 30, FakeRun.Values(("loss", 0.2, false)));
        run.Epoch(Stage.Validation, 3, 30, FakeRun.Values(("loss", 0.35, false), ("accuracy", 0.95, true)));

        // Assert
        Assert.That(console.Lines[2], Is.EqualTo("    3     0.2000*          0.3500               0.9500*      3.00"));
    }

    [Test]
    public void A_colour_console_gets_the_same_table_with_the_best_values_coloured_instead_of_starred()
    {
        // Arrange
        var console = new TestConsole().Width(120).Colors(ColorSystem.TrueColor).EmitAnsiSequences();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        ConsoleRuns.RunThreeEpochs(run);

        // Assert
        var lines = console.Output.Split('\n');
        Assert.Multiple(() =>
        {
            Assert.That(lines[2], Does.StartWith("    1     \u001b[1;38;5;2m0.9000\u001b[0m          \u001b[1;38;5;2m0.6000\u001b[0m"));
            Assert.That(lines[4], Does.Contain("\u001b[1;38;5;2m0.7500\u001b[0m               0.7000       3.00"));
            Assert.That(lines.Take(5).Select(ConsoleRuns.StripAnsi), Is.EqualTo(new[]
            {
                Header,
                Rule,
                "    1     0.9000          0.6000           0.8000               0.6500       3.00",
                "    2     0.5000          0.7000           0.8500               0.7000       3.00",
                "    3     0.4000          0.6500           0.7500               0.7000       3.00",
            }));
            Assert.That(console.Output, Does.Not.Contain('*'));
        });
    }

    [Test]
    public void A_console_with_no_colours_marks_the_best_values_with_stars_and_writes_no_escape_codes()
    {
        // Arrange: ANSI but NO_COLOR
        var console = new TestConsole().Width(120).Colors(ColorSystem.NoColors).EmitAnsiSequences();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        ConsoleRuns.RunThreeEpochs(run);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(console.Lines[2], Is.EqualTo("    1     0.9000*         0.6000*          0.8000*              0.6500*      3.00"));
            Assert.That(console.Output, Does.Not.Contain('\u001b'));
        });
    }

    [Test]
    public void Hidden_columns_are_left_out_and_samples_per_second_can_be_shown()
    {
        // Arrange
        var console = ConsoleRuns.Redirected();
        using var reporter = new ConsoleTableReporter(console) { HiddenColumns = ["train_accuracy", "validation_accuracy"], ShowSamplesPerSecond = true };
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        ConsoleRuns.RunThreeEpochs(run);

        // Assert: 200 samples in 3 seconds
        Assert.That(console.Lines.Take(3), Is.EqualTo(new[]
        {
            "epoch  train_loss  validation_loss  samples/s  duration",
            "-----  ----------  ---------------  ---------  --------",
            "    1     0.9000*          0.8000*         67      3.00",
        }));
    }

    [Test]
    public void An_epoch_cut_short_prints_no_row_and_the_run_says_it_stopped()
    {
        // Arrange
        var console = ConsoleRuns.Redirected();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start();
        run.Epoch(Stage.Train, 1, 10, FakeRun.Values(("loss", 0.9, false)));
        run.Epoch(Stage.Validation, 1, 10, FakeRun.Values(("loss", 0.8, false)));
        run.Epoch(Stage.Train, 2, 20, FakeRun.Values(("loss", 0.7, false)));
        run.End(RunStatus.Stopped, 1, 20);

        // Assert
        Assert.That(console.Lines, Is.EqualTo(new[]
        {
            "epoch  train_loss  validation_loss  duration",
            "-----  ----------  ---------------  --------",
            "    1     0.9000*          0.8000*      3.00",
            "Run stopped (stop requested): 1 epoch, 10.0 s",
        }));
    }

    [Test]
    public void A_failed_run_prints_its_error()
    {
        // Arrange
        var console = ConsoleRuns.Redirected();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start();
        run.Epoch(Stage.Train, 1, 10, FakeRun.Values(("loss", 0.9, false)));
        run.End(RunStatus.Failed, 0, 10, new InvalidOperationException("out of memory"));

        // Assert
        Assert.That(console.Lines, Is.EqualTo(new[] { "Run failed: out of memory (0 epochs, 10.0 s)" }));
    }

    [Test]
    public void A_metric_missing_from_a_later_epoch_leaves_its_cell_blank()
    {
        // Arrange
        var console = ConsoleRuns.Redirected();
        using var reporter = new ConsoleTableReporter(console);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start(stages: Stage.Train);
        run.Epoch(Stage.Train, 1, 10, FakeRun.Values(("loss", 0.9, false), ("accuracy", 0.5, true)));
        run.Epoch(Stage.Train, 2, 20, FakeRun.Values(("accuracy", 0.6, true)));

        // Assert
        Assert.That(console.Lines.Skip(2), Is.EqualTo(new[]
        {
            "    1     0.9000*         0.5000*      1.50",
            "    2                     0.6000*      1.50",
        }));
    }
}
