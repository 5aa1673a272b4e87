using System.Text.Json;
using TinyDl.Reporters;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

public sealed class JsonLinesReporterTests : TemporaryDirectoryTests
{
    [Test]
    public void Every_event_becomes_one_json_object_per_line()
    {
        // Arrange
        var path = Path.Combine(TestDirectory, "run", "events.jsonl");
        using var reporter = new JsonLinesReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);
        var experiment = new Experiment([new("lr", 0.001), new("hidden", 256), new("optimizer", "adam"), new("bn", true)]);

        // Act
        run.Start(experiment, epochs: 1);
        run.EpochStartedSubject.OnNext(new EpochStarted(Stage.Train, 1, 0, TimeSpan.FromSeconds(0.5), 10));
        run.Epoch(Stage.Train, 1, 10, FakeRun.Values(("loss", 0.5, false), ("accuracy", double.NaN, true)));
        run.End(RunStatus.Completed, 1, 10);

        // Assert
        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(lines.Select(l => l.GetProperty("event").GetString()), Is.EqualTo(new[] { "run_started", "epoch_started", "epoch_completed", "run_completed" }));
            Assert.That(lines[0].GetProperty("experiment").GetProperty("name").GetString(), Is.EqualTo(experiment.Name));
            Assert.That(lines[0].GetProperty("experiment").GetProperty("hyperparameters").GetProperty("lr").GetDouble(), Is.EqualTo(0.001));
            Assert.That(lines[0].GetProperty("experiment").GetProperty("hyperparameters").GetProperty("optimizer").GetString(), Is.EqualTo("adam"));
            Assert.That(lines[0].GetProperty("experiment").GetProperty("hyperparameters").GetProperty("bn").GetBoolean(), Is.True);
            Assert.That(lines[0].GetProperty("stages").EnumerateArray().Select(s => s.GetString()), Is.EqualTo(new[] { "train", "validation" }));
            Assert.That(lines[1].GetProperty("batches").GetInt32(), Is.EqualTo(10));
            Assert.That(lines[1].GetProperty("elapsed").GetDouble(), Is.EqualTo(0.5));
            Assert.That(lines[2].GetProperty("stage").GetString(), Is.EqualTo("train"));
            Assert.That(lines[2].GetProperty("globalStep").GetInt64(), Is.EqualTo(10));
            Assert.That(lines[2].GetProperty("metrics").GetProperty("loss").GetDouble(), Is.EqualTo(0.5));
            Assert.That(lines[2].GetProperty("metrics").GetProperty("accuracy").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(lines[2].GetProperty("duration").GetDouble(), Is.EqualTo(1.5));
            Assert.That(lines[3].GetProperty("status").GetString(), Is.EqualTo("completed"));
        });
    }

    [Test]
    public void A_real_run_writes_step_losses_every_interval_and_its_failure()
    {
        // Arrange
        var path = Path.Combine(TestDirectory, "events.jsonl");
        var (runner, _) = Synthetic.Run();
        using var reporter = new JsonLinesReporter(path) { StepInterval = 5 };
        reporter.AttachTo(runner);
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Epoch == 2)
            {
                throw new InvalidOperationException("boom");
            }
        });

        // Act
        Assert.Throws<InvalidOperationException>(() => runner.Run(3));

        // Assert
        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var steps = lines.Where(l => l.GetProperty("event").GetString() == "batch_completed").Select(l => l.GetProperty("globalStep").GetInt64());
        Assert.Multiple(() =>
        {
            Assert.That(steps, Is.EqualTo(new long[] { 5, 10 }));
            Assert.That(lines.Where(l => l.TryGetProperty("loss", out _)).Select(l => l.GetProperty("loss").GetDouble()), Is.All.GreaterThan(0));
            Assert.That(lines[^1].GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(lines[^1].GetProperty("error").GetString(), Is.EqualTo("InvalidOperationException: boom"));
        });
    }
}
