using System.Globalization;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Examples;

/// <summary>
/// The Fashion-MNIST example run as a user runs it: a child process with redirected output on the
/// real data (Debian's dataset-fashion-mnist; these tests fail with the install command without it).
/// </summary>
[NonParallelizable]
public sealed class FashionMnistEndToEndTests : TemporaryDirectoryTests
{
    [Test]
    public void Three_epochs_reach_85_percent_and_write_the_table_the_csv_and_tensorboard()
    {
        // Act
        var (exitCode, output) = ExampleProcess.Run("--epochs", "3", "--batch-size", "64", "--lr", "0.001", "--out", TestDirectory);

        // Assert
        var run = Path.Combine(TestDirectory, "model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=3_seed=42");
        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        var events = EventFileReader.Read(Directory.GetFiles(run, "events.out.tfevents.*").Single());
        var scalars = TensorBoardScenario.Scalars(events);
        var last = csv[^1].Split(',');
        var accuracy = double.Parse(last[4], CultureInfo.InvariantCulture);
        var testAccuracy = double.Parse(last[6], CultureInfo.InvariantCulture);
        var manifest = RunManifest.Read(Path.Combine(run, "run.json"));
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), output);
            Assert.That(output, Does.Not.Contain('\u001b'), "no escape codes when redirected");
            Assert.That(output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s+[123]\s+0\.")), Is.EqualTo(3), output);
            Assert.That(csv[0], Is.EqualTo("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,test_loss,test_accuracy,duration"));
            Assert.That(csv, Has.Length.EqualTo(4));
            Assert.That(csv[1..3].Select(l => l.Split(',')[5..7]), Is.All.EqualTo(new[] { "", "" }), "the test set is evaluated once, after the last epoch");
            Assert.That(accuracy, Is.GreaterThanOrEqualTo(0.85));
            Assert.That(testAccuracy, Is.GreaterThanOrEqualTo(0.84).And.Not.EqualTo(accuracy), "the test set is not the validation split");
            Assert.That(output, Does.Contain(string.Create(CultureInfo.InvariantCulture, $"Test set (best weights, from epoch ")).And.Contain(string.Create(CultureInfo.InvariantCulture, $"accuracy {testAccuracy:F4}")));
            Assert.That(manifest.Data.Keys, Is.EquivalentTo(new[] { "train", "validation", "test" }));
            Assert.That(manifest.Data.Values, Is.Unique, "three different fingerprints");
            Assert.That(manifest.Metrics["test_accuracy"].Final, Is.EqualTo(testAccuracy));

            // 55,000 training images (5,000 held out for validation) make 860 batches of 64 per epoch.
            foreach (var tag in new[] { "train/loss", "train/accuracy", "validation/loss", "validation/accuracy" })
            {
                Assert.That(scalars.Where(s => s.Tag == tag).Select(s => s.Step), Is.EqualTo(new long[] { 860, 1720, 2580 }), tag);
            }

            Assert.That(scalars.Where(s => s.Tag == "test/accuracy").Select(s => (s.Step, (double)s.Value)), Is.EqualTo(new[] { (2580L, (double)(float)testAccuracy) }));
            Assert.That(scalars.Single(s => s.Tag == "validation/accuracy" && s.Step == 2580).Value, Is.EqualTo(accuracy).Within(1e-6));
            var hparamTags = events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value).Select(v => v.Tag).Where(t => t.StartsWith("_hparams_/", StringComparison.Ordinal));
            Assert.That(hparamTags, Is.EqualTo(new[] { "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info" }));
        });
    }

    [Test]
    public void The_same_seed_gives_identical_metrics_and_the_validation_batch_size_changes_nothing()
    {
        // Act: one epoch three times: twice alike, once with another validation batch size. Bit-for-bit
        // agreement across processes needs one CPU thread (see Seed.Everything).
        string[] Metrics(string name, params string[] extra)
        {
            var directory = Path.Combine(TestDirectory, name);
            var (exitCode, output) = ExampleProcess.Run(["--epochs", "1", "--deterministic", "--out", directory, .. extra]);
            Assert.That(exitCode, Is.EqualTo(0), output);
            var csv = File.ReadAllLines(Directory.GetFiles(directory, "metrics.csv", SearchOption.AllDirectories).Single());
            return csv[1].Split(',')[1..^1]; // metric columns, without epoch and duration
        }

        var first = Metrics("a");
        var second = Metrics("b");
        var otherValidationBatches = Metrics("c", "--valid-batch-size", "7");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(otherValidationBatches[..2], Is.EqualTo(first[..2]), "training is unchanged");
            Assert.That(double.Parse(otherValidationBatches[2], CultureInfo.InvariantCulture), Is.EqualTo(double.Parse(first[2], CultureInfo.InvariantCulture)).Within(1e-6));
            Assert.That(otherValidationBatches[3], Is.EqualTo(first[3]), "accuracy is a count");
        });
    }

    [Test]
    public void The_saved_model_evaluated_in_another_process_gives_the_accuracy_the_run_reported()
    {
        // Arrange
        var (trainExit, trainOutput) = ExampleProcess.Run("--epochs", "2", "--out", TestDirectory);
        var run = Directory.GetDirectories(TestDirectory).Single();

        // Act
        var (evaluateExit, evaluateOutput) = ExampleProcess.Run("--evaluate", run);

        // Assert
        static string Accuracy(string output, string prefix) =>
            output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split("accuracy ")[1][..6];
        Assert.Multiple(() =>
        {
            Assert.That(trainExit, Is.EqualTo(0), trainOutput);
            Assert.That(evaluateExit, Is.EqualTo(0), evaluateOutput);
            Assert.That(trainOutput, Does.Match(@"Test set \(best weights, from epoch [12]\)"));
            Assert.That(Accuracy(evaluateOutput, "Evaluation of"), Is.EqualTo(Accuracy(trainOutput, "Test set")));
            Assert.That(File.Exists(Path.Combine(run, "run.json")), Is.True);
        });
    }

    [Test]
    public void A_missing_data_directory_says_how_to_install_the_data()
    {
        var (exitCode, output) = ExampleProcess.Run("--data", Path.Combine(TestDirectory, "nowhere"));

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(3));
            Assert.That(output, Does.Contain("apt-get install dataset-fashion-mnist"));
        });
    }

    [Test]
    public void A_bad_option_prints_the_problem_and_the_usage()
    {
        var (exitCode, output) = ExampleProcess.Run("--epochs", "zero");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Does.Contain("--epochs").And.Contain("zero").And.Contain("Usage"));
        });
    }
}
