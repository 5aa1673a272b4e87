using TinyDl.Tests.Support;

namespace TinyDl.Tests.Core;

public sealed class ReporterTests
{
    [Test]
    public void A_reporter_that_throws_stops_the_run_with_an_error_naming_it_after_the_others_flushed()
    {
        // Arrange
        var (runner, _) = Synthetic.Run();
        using var failing = new RecordingReporter("csv-ish", failOnEpoch: 2);
        using var healthy = new RecordingReporter("healthy");
        failing.AttachTo(runner);
        healthy.AttachTo(runner);

        // Act
        var error = Assert.Throws<ReporterException>(() => runner.Run(5));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.StartWith("Reporter 'csv-ish' failed on EpochCompleted (stage train, epoch 2)"));
            Assert.That(error.InnerException, Is.InstanceOf<IOException>());
            Assert.That(healthy.Log, Is.EqualTo(new[] { "start", "train 1", "validation 1", "end Failed" }));
            Assert.That(failing.Log[^1], Is.EqualTo("end Failed"));
        });
    }

    [Test]
    public void Batch_events_reach_a_reporter_only_every_interval_steps()
    {
        var (runner, _) = Synthetic.Run();
        using var reporter = new RecordingReporter("batches", batchInterval: 3);
        reporter.AttachTo(runner);

        runner.Run(2);

        Assert.That(reporter.Batches, Is.EqualTo(new[] { "train 3", "train 6", "validation 3", "train 9", "train 12", "validation 3" }));
    }

    [Test]
    public void A_detached_reporter_hears_nothing_more()
    {
        var (runner, _) = Synthetic.Run();
        using var reporter = new RecordingReporter("detached");
        var subscription = reporter.AttachTo(runner);

        subscription.Dispose();
        runner.Run(1);

        Assert.That(reporter.Log, Is.Empty);
    }

    private sealed class RecordingReporter(string name, int failOnEpoch = 0, int batchInterval = 0) : Reporter
    {
        public List<string> Log { get; } = [];

        public List<string> Batches { get; } = [];

        public override string Name => name;

        protected override int BatchInterval => batchInterval;

        protected override void OnRunStarted(RunStarted e) => Log.Add("start");

        protected override void OnBatchCompleted(BatchCompleted e) =>
            Batches.Add($"{e.Stage.ToName()} {(e.Stage == Stage.Train ? e.GlobalStep : e.Batch)}");

        protected override void OnEpochCompleted(EpochCompleted e)
        {
            if (e.Epoch == failOnEpoch)
            {
                throw new IOException("disk full");
            }

            Log.Add($"{e.Stage.ToName()} {e.Epoch}");
        }

        protected override void OnRunCompleted(RunCompleted e) => Log.Add($"end {e.Status}");
    }
}
