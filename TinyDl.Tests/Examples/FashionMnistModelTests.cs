using System.Globalization;
using System.IO.Compression;
using FashionMnist;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Examples;

/// <summary>
/// The example's --model and --early-stopping run as a user runs them, on the first images of the real
/// data (Debian's dataset-fashion-mnist) so that each test takes seconds, not minutes.
/// </summary>
[NonParallelizable]
public sealed class FashionMnistModelTests : TemporaryDirectoryTests
{
    [Test]
    public void The_cnn_run_records_its_model_and_evaluate_rebuilds_the_cnn_from_run_json()
    {
        // Arrange
        var data = WriteSubset(train: 2000, test: 500);
        var runs = Path.Combine(TestDirectory, "runs");

        // Act
        var (trainExit, trainOutput) = ExampleProcess.Run("--model", "cnn", "--epochs", "1", "--validation-size", "400", "--data", data, "--out", runs);
        var run = Directory.GetDirectories(runs).Single();
        var (evaluateExit, evaluateOutput) = ExampleProcess.Run("--evaluate", run, "--data", data);

        // Assert
        static string Accuracy(string output, string prefix) =>
            output.Split('\n').Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split("accuracy ")[1][..6];
        Assert.Multiple(() =>
        {
            Assert.That(trainExit, Is.EqualTo(0), trainOutput);
            Assert.That(evaluateExit, Is.EqualTo(0), evaluateOutput);
            Assert.That(Path.GetFileName(run), Is.EqualTo("model=cnn_lr=0.001_hidden=256_batch_size=64_epochs=1_seed=42_validation_size=400"));
            Assert.That(RunManifest.Read(Path.Combine(run, "run.json")).Hyperparameters["model"], Is.EqualTo("cnn"));
            Assert.That(Accuracy(evaluateOutput, "Evaluation of"), Is.EqualTo(Accuracy(trainOutput, "Test set")));
        });
    }

    [Test]
    public void Early_stopping_ends_the_run_patience_epochs_after_the_best_validation_loss()
    {
        // Arrange: 500 training images (100 of them for validation) overfit within a few epochs at this learning rate.
        var data = WriteSubset(train: 500, test: 500);
        var runs = Path.Combine(TestDirectory, "runs");

        // Act
        var (exitCode, output) = ExampleProcess.Run("--epochs", "30", "--lr", "0.01", "--early-stopping", "2", "--deterministic", "--validation-size", "100", "--data", data, "--out", runs);

        // Assert: the last epoch is the best validation loss's plus the patience, before the 30th.
        var rows = File.ReadAllLines(Directory.GetFiles(runs, "metrics.csv", SearchOption.AllDirectories).Single())[1..]
            .Select(l => l.Split(',')).ToArray();
        var validationLoss = rows.Select(r => double.Parse(r[3], CultureInfo.InvariantCulture)).ToArray();
        var best = Array.IndexOf(validationLoss, validationLoss.Min()) + 1;
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), output);
            Assert.That(rows, Has.Length.LessThan(30), output);
            Assert.That(rows, Has.Length.EqualTo(best + 2), output);
            Assert.That(output, Does.Contain($"Stopped after epoch {rows.Length}: early stopping: the validation loss did not improve for 2 epochs."));
            Assert.That(output, Does.Contain($"Test set (best weights, from epoch {best})"));
            Assert.That(output, Does.Not.Contain("--resume"));
        });
    }

    [Test]
    public void A_bad_model_is_refused_with_the_models_there_are()
    {
        var (exitCode, output) = ExampleProcess.Run("--model", "resnet");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(Options.UsageExitCode));
            Assert.That(output, Does.Contain("Option --model must be one of mlp, cnn; got 'resnet'.").And.Contain("Usage"));
        });
    }

    /// <summary>Writes the first images of each split of the installed data as the four IDX files of a directory.</summary>
    [Test]
    public void The_step_schedule_halves_the_learning_rate_every_two_epochs_and_reports_it()
    {
        // Arrange
        var data = WriteSubset(train: 500, test: 200);
        var runs = Path.Combine(TestDirectory, "runs");

        // Act
        var (exitCode, output) = ExampleProcess.Run("--epochs", "3", "--scheduler", "step", "--validation-size", "100", "--data", data, "--out", runs);

        // Assert: the rate each epoch trained with, as the train_lr column reports it.
        var run = Directory.GetDirectories(runs).Single();
        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        var column = Array.IndexOf(csv[0].Split(','), "train_lr");
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(0), output);
            Assert.That(Path.GetFileName(run), Does.EndWith("_scheduler=step_validation_size=100"));
            Assert.That(csv[1..].Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)), Is.EqualTo(new[] { 0.001, 0.001, 0.0005 }).Within(1e-12));
        });
    }

    private string WriteSubset(int train, int test) => IdxFiles.WriteSubset(Path.Combine(TestDirectory, "data"), train, test);
}
