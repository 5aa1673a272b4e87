using Spectre.Console.Testing;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Reporters;

public sealed class LearningRateAndHistogramTests : TemporaryDirectoryTests
{
    [Test]
    public void The_learning_rate_a_scheduler_sets_appears_in_the_table_the_csv_and_tensorboard_unmarked()
    {
        // Arrange: the learning rate halves after every epoch
        var (x, y) = Synthetic.Classification(40);
        var model = nn.Linear(4, 3);
        var optimizer = optim.SGD(model.parameters(), 0.4);
        var scheduler = optim.lr_scheduler.StepLR(optimizer, 1, 0.5);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 10), optimizer, nn.CrossEntropyLoss(), [new Loss(), new LearningRate(optimizer)]);
        using var runner = new Runner(trainer);
        runner.EpochCompleted.Subscribe(_ => scheduler.step());
        var console = new TestConsole().Width(120);
        using var table = new ConsoleTableReporter(console) { ShowProgress = false };
        using var csv = new CsvReporter(Path.Combine(TestDirectory, "metrics.csv"));
        using var tensorBoard = new TensorBoardReporter(TestDirectory);
        table.AttachTo(runner);
        csv.AttachTo(runner);
        tensorBoard.AttachTo(runner);

        // Act
        var result = runner.Run(3);

        // Assert
        var rows = File.ReadAllLines(Path.Combine(TestDirectory, "metrics.csv"));
        var scalars = TensorBoardScenario.Scalars(EventFileReader.Read(tensorBoard.FilePath!));
        Assert.Multiple(() =>
        {
            Assert.That(rows[0], Is.EqualTo("epoch,train_loss,train_lr,duration"));
            Assert.That(rows.Skip(1).Select(r => r.Split(',')[2]), Is.EqualTo(new[] { "0.4", "0.2", "0.1" }));
            Assert.That(scalars.Where(s => s.Tag == "train/lr").Select(s => s.Value), Is.EqualTo(new[] { 0.4, 0.2, 0.1 }).Within(1e-7));
            Assert.That(console.Lines.Where(l => l.Contains("0.4000", StringComparison.Ordinal) || l.Contains("0.1000", StringComparison.Ordinal)), Has.None.Contain("0.4000*").And.None.Contain("0.1000*"));
            Assert.That(result.Best[Stage.Train]["lr"], Is.EqualTo(0.1), "an unranked value's best is its last");
        });
    }

    [Test]
    public void Weight_histograms_are_written_every_interval_epochs_with_every_value_counted()
    {
        // Arrange
        var (runner, model) = Synthetic.Run();
        using var tensorBoard = new TensorBoardReporter(TestDirectory) { Histograms = model, HistogramInterval = 2 };
        tensorBoard.AttachTo(runner);

        // Act
        runner.Run(4);

        // Assert
        var histograms = EventFileReader.Values(EventFileReader.Read(tensorBoard.FilePath!))
            .Where(v => v.Value.ValueCase == Tensorboard.Summary.Types.Value.ValueOneofCase.Histo)
            .ToList();
        var weight = model.named_parameters().Single(p => p.name == "weight").parameter.data<float>().ToArray();
        var last = histograms.Last(h => h.Value.Tag == "weights/weight").Value.Histo;
        Assert.Multiple(() =>
        {
            Assert.That(histograms.Select(h => (h.Value.Tag, h.Step)), Is.EqualTo(new[] { ("weights/weight", 14L), ("weights/bias", 14L), ("weights/weight", 28L), ("weights/bias", 28L) }));
            Assert.That(last.Num, Is.EqualTo(12));
            Assert.That(last.Bucket.Sum(), Is.EqualTo(12));
            Assert.That(last.Min, Is.EqualTo(weight.Min()).Within(1e-7));
            Assert.That(last.Max, Is.EqualTo(weight.Max()).Within(1e-7));
            Assert.That(last.Sum, Is.EqualTo(weight.Sum(v => (double)v)).Within(1e-6));
            Assert.That(last.BucketLimit[^1], Is.EqualTo(last.Max));
        });
    }
}
