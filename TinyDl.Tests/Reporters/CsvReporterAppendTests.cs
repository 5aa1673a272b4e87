using TinyDl.Reporters;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

public sealed class CsvReporterAppendTests : TemporaryDirectoryTests
{
    [Test]
    public void A_resumed_run_appends_to_the_file_without_repeating_the_header_or_any_epoch()
    {
        // Arrange: a first run wrote epochs 1 and 2
        var path = Path.Combine(TestDirectory, "metrics.csv");
        CsvRuns.RunEpochs(path, (1, 0.9), (2, 0.8));

        // Act: the resumed run repeats epoch 2 and adds epoch 3
        CsvRuns.RunEpochs(path, (2, 0.7), (3, 0.6));

        // Assert
        Assert.That(CsvRuns.ReadLines(path), Is.EqualTo(new[]
        {
            CsvRuns.Header,
            "1,0.9,0.6,0.8,0.65,3",
            "2,0.8,0.6,0.8,0.65,3",
            "3,0.6,0.6,0.8,0.65,3",
        }));
    }

    [Test]
    public void A_row_torn_by_a_killed_process_is_replaced_by_the_whole_row_on_resume()
    {
        // Arrange: the process died while writing epoch 3's row
        var path = Path.Combine(TestDirectory, "metrics.csv");
        CsvRuns.RunEpochs(path, (1, 0.9), (2, 0.8));
        File.AppendAllText(path, "3,0.6,0.");

        // Act: the resumed run redoes epoch 3
        CsvRuns.RunEpochs(path, (3, 0.6), (4, 0.5));

        // Assert
        Assert.That(CsvRuns.ReadLines(path), Is.EqualTo(new[]
        {
            CsvRuns.Header,
            "1,0.9,0.6,0.8,0.65,3",
            "2,0.8,0.6,0.8,0.65,3",
            "3,0.6,0.6,0.8,0.65,3",
            "4,0.5,0.6,0.8,0.65,3",
        }));
    }

    [Test]
    public void A_run_started_afresh_over_an_earlier_file_moves_that_file_aside_and_writes_its_own()
    {
        // Arrange: an earlier run wrote epochs 1 to 3; a run of the same directory starts again at epoch 1.
        var path = Path.Combine(TestDirectory, "metrics.csv");
        CsvRuns.RunEpochs(path, (1, 0.9), (2, 0.8), (3, 0.7));
        var earlier = File.ReadAllText(path);

        // Act
        CsvRuns.RunEpochs(path, (1, 0.5));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(CsvRuns.ReadLines(path), Is.EqualTo(new[] { CsvRuns.Header, "1,0.5,0.6,0.8,0.65,3" }));
            Assert.That(File.ReadAllText(Path.Combine(TestDirectory, "metrics.previous-1.csv")), Is.EqualTo(earlier));
        });
    }

    [Test]
    public void A_header_torn_by_a_killed_process_is_written_again()
    {
        var path = Path.Combine(TestDirectory, "metrics.csv");
        Directory.CreateDirectory(TestDirectory);
        File.WriteAllText(path, "epoch,train_lo");

        CsvRuns.RunEpochs(path, (1, 0.9));

        Assert.That(CsvRuns.ReadLines(path), Is.EqualTo(new[] { CsvRuns.Header, "1,0.9,0.6,0.8,0.65,3" }));
    }

    [Test]
    public void A_missing_metric_leaves_an_empty_cell_in_the_file_column_order()
    {
        // Arrange: an existing file with its own column order and a column this run does not report
        var path = Path.Combine(TestDirectory, "metrics.csv");
        Directory.CreateDirectory(TestDirectory);
        File.WriteAllText(path, "epoch,duration,train_loss,test_loss,train_accuracy\n1,2,0.9,0.95,0.5\n");
        using var reporter = new CsvReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start(firstEpoch: 2, stages: Stage.Train);
        run.Epoch(Stage.Train, 2, 20, FakeRun.Values(("loss", 0.8, false), ("accuracy", 0.6, true)));
        run.Epoch(Stage.Train, 3, 30, FakeRun.Values(("loss", 0.7, false)));
        run.End(RunStatus.Completed, 3, 30);

        // Assert
        Assert.That(CsvRuns.ReadLines(path), Is.EqualTo(new[]
        {
            "epoch,duration,train_loss,test_loss,train_accuracy",
            "1,2,0.9,0.95,0.5",
            "2,1.5,0.8,,0.6",
            "3,1.5,0.7,,",
        }));
    }

    [Test]
    public void A_file_whose_header_lacks_a_reported_column_is_refused_and_left_unchanged()
    {
        // Arrange
        var path = Path.Combine(TestDirectory, "metrics.csv");
        Directory.CreateDirectory(TestDirectory);
        const string Existing = "epoch,train_loss,duration\n1,0.9,1.5\n";
        File.WriteAllText(path, Existing);
        using var reporter = new CsvReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);
        run.Start(firstEpoch: 2, stages: Stage.Train);

        // Act
        void Act() => run.Epoch(Stage.Train, 2, 20, FakeRun.Values(("loss", 0.8, false), ("accuracy", 0.6, true)));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Act, Throws.TypeOf<ReporterException>()
                .With.InnerException.TypeOf<InvalidOperationException>()
                .And.InnerException.Message.Contains(path)
                .And.InnerException.Message.Contains("'train_accuracy'"));
            Assert.That(File.ReadAllText(path), Is.EqualTo(Existing));
        });
    }
}
