using System.Globalization;
using TinyDl.Reporters;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

public sealed class CsvReporterTests : TemporaryDirectoryTests
{
    [Test]
    public void Every_epoch_is_one_row_under_one_header_with_round_trip_numbers()
    {
        // Arrange: the directory does not exist yet
        var path = Path.Combine(TestDirectory, "nested", "metrics.csv");
        using var reporter = new CsvReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start();
        CsvRuns.Epoch(run, 1, 0.1 + 0.2, 0.5, 0.8, 0.25);
        CsvRuns.Epoch(run, 2, 1.0 / 3, 0.75, double.NaN, 1e-17, seconds: 0.1);
        run.End(RunStatus.Completed, 2, 20);

        // Assert
        var lines = CsvRuns.ReadLines(path);
        var row = lines[1].Split(',');
        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Length.EqualTo(3));
            Assert.That(lines[0], Is.EqualTo(CsvRuns.Header));
            Assert.That(lines[1], Is.EqualTo("1,0.30000000000000004,0.5,0.8,0.25,3"));
            Assert.That(lines[2], Is.EqualTo("2,0.3333333333333333,0.75,NaN,1E-17,0.2"));
            Assert.That(double.Parse(row[1], CultureInfo.InvariantCulture), Is.EqualTo(0.1 + 0.2));
        });
    }

    [Test]
    public void Each_row_is_on_disk_as_soon_as_its_epoch_completes()
    {
        // Arrange
        var path = Path.Combine(TestDirectory, "metrics.csv");
        using var reporter = new CsvReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);
        run.Start();

        // Act: the reporter stays open
        CsvRuns.Epoch(run, 1, 0.9, 0.6, 0.8, 0.65);
        var afterFirst = CsvRuns.ReadLines(path);
        run.Epoch(Stage.Train, 2, 20, FakeRun.Values(("loss", 0.5, false), ("accuracy", 0.7, true)));
        var afterTrainOnly = CsvRuns.ReadLines(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(afterFirst, Is.EqualTo(new[] { CsvRuns.Header, "1,0.9,0.6,0.8,0.65,3" }));
            Assert.That(afterTrainOnly, Is.EqualTo(afterFirst), "a row waits for the epoch's last stage");
        });
    }

    [Test]
    public void A_run_stopped_between_train_and_validation_writes_no_row_for_that_epoch()
    {
        // Arrange
        var path = Path.Combine(TestDirectory, "metrics.csv");
        using var reporter = new CsvReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);

        // Act
        run.Start();
        CsvRuns.Epoch(run, 1, 0.9, 0.6, 0.8, 0.65);
        run.Epoch(Stage.Train, 2, 20, FakeRun.Values(("loss", 0.5, false), ("accuracy", 0.7, true)));
        run.End(RunStatus.Stopped, 1, 20);

        // Assert
        Assert.That(CsvRuns.ReadLines(path), Is.EqualTo(new[] { CsvRuns.Header, "1,0.9,0.6,0.8,0.65,3" }));
    }

    [Test]
    public void The_file_is_closed_when_the_run_fails_and_when_the_reporter_is_disposed()
    {
        // Arrange
        var failed = Path.Combine(TestDirectory, "failed.csv");
        var disposed = Path.Combine(TestDirectory, "disposed.csv");
        using var failing = new CsvReporter(failed);
        var failingRun = new FakeRun();
        using var failingSubscription = failing.AttachTo(failingRun);
        var disposing = new CsvReporter(disposed);
        var disposingRun = new FakeRun();
        using var disposingSubscription = disposing.AttachTo(disposingRun);

        // Act
        failingRun.Start();
        CsvRuns.Epoch(failingRun, 1, 0.9, 0.6, 0.8, 0.65);
        failingRun.End(RunStatus.Failed, 1, 10, new InvalidOperationException("boom"));
        disposingRun.Start();
        CsvRuns.Epoch(disposingRun, 1, 0.9, 0.6, 0.8, 0.65);
        disposing.Dispose();

        // Assert: only a closed file can be opened without sharing
        Assert.Multiple(() =>
        {
            Assert.That(() => new FileStream(failed, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose(), Throws.Nothing);
            Assert.That(() => new FileStream(disposed, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose(), Throws.Nothing);
            Assert.That(CsvRuns.ReadLines(failed), Has.Length.EqualTo(2));
            Assert.That(CsvRuns.ReadLines(disposed), Has.Length.EqualTo(2));
        });
    }

    [Test]
    public void A_blank_path_is_rejected()
    {
        Assert.That(() => new CsvReporter(" "), Throws.ArgumentException);
    }
}
