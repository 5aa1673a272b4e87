using Spectre.Console.Testing;
using TinyDl.Controls;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Participants;

/// <summary>A Trainer or Validator used without a Runner offers the same events, so the same participants work on it.</summary>
public sealed class StandAloneStageTests : TemporaryDirectoryTests
{
    [Test]
    public void A_trainer_used_alone_hosts_the_console_table_the_csv_and_early_stopping()
    {
        // Arrange: a learning rate too high to keep improving the training loss for long.
        var (x, y) = Synthetic.Classification(64, seed: 3);
        manual_seed(3);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 16, shuffle: true, seed: 3), optim.SGD(model.parameters(), 5.0), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        var console = new TestConsole().Width(120);
        using var table = new ConsoleTableReporter(console);
        using var csv = new CsvReporter(Path.Combine(TestDirectory, "metrics.csv"));
        var stopping = new EarlyStopping("loss", Stage.Train) { Patience = 2, MinDelta = 0.05 };
        var losses = new List<double>();
        trainer.EpochCompleted.Subscribe(e => losses.Add(e.Metrics["loss"]));
        using var attached = trainer.Attach(table, csv, stopping);

        // Act
        var result = trainer.Run(40);

        // Assert: Keras's rule written out: stop at the second epoch in a row without an improvement of more than 0.05.
        var best = double.PositiveInfinity;
        var waited = 0;
        var stopAt = losses.Count;
        for (var i = 0; i < losses.Count; i++)
        {
            if (losses[i] < best - 0.05)
            {
                (best, waited) = (losses[i], 0);
            }
            else if (++waited == 2)
            {
                stopAt = i + 1;
                break;
            }
        }

        var rows = File.ReadAllLines(Path.Combine(TestDirectory, "metrics.csv"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
            Assert.That(result.Epoch, Is.LessThan(40));
            Assert.That(result.Epoch, Is.EqualTo(stopAt), string.Join(", ", losses));
            Assert.That(stopping.StoppedEpoch, Is.EqualTo(result.Epoch));
            Assert.That(rows[0], Is.EqualTo("epoch,train_loss,train_accuracy,duration"));
            Assert.That(rows, Has.Length.EqualTo(result.Epoch + 1));
            Assert.That(console.Lines[0], Does.StartWith("epoch  train_loss  train_accuracy"));
            Assert.That(console.Output, Does.Contain($"Run stopped (early stopping: the train loss did not improve for 2 epochs): {result.Epoch} epochs"));
        });
    }

    [Test]
    public void A_validator_used_alone_is_a_run_of_one_epoch_that_reporters_write()
    {
        // Arrange
        var (x, y) = Synthetic.Classification(40, seed: 4);
        var model = nn.Linear(4, 3);
        using var validator = new Validator(model, new TensorBatches(x, y, 16), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()], Stage.Test);
        using var csv = new CsvReporter(Path.Combine(TestDirectory, "test.csv"));
        var events = new List<string>();
        validator.RunStarted.Subscribe(e => events.Add($"started {string.Join(",", e.Stages)}"));
        validator.EpochEnded.Subscribe(e => events.Add($"ended {e.Epoch}"));
        validator.RunCompleted.Subscribe(e => events.Add($"completed {e.Status}"));
        using var attached = validator.Attach(csv);

        // Act
        var result = validator.Run();

        // Assert
        var rows = File.ReadAllLines(Path.Combine(TestDirectory, "test.csv"));
        Assert.Multiple(() =>
        {
            Assert.That(events, Is.EqualTo(new[] { "started Test", "ended 1", "completed Completed" }));
            Assert.That(rows[0], Is.EqualTo("epoch,test_loss,test_accuracy,duration"));
            Assert.That(rows[1], Does.StartWith($"1,{result.Final[Stage.Test]["loss"].ToString("R", System.Globalization.CultureInfo.InvariantCulture)},"));
            Assert.That(() => validator.Run(), Throws.InvalidOperationException.With.Message.Contains("already taken part in a run"));
        });
    }
}
