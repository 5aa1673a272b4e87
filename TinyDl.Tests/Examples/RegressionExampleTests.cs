using System.Diagnostics;
using System.Globalization;
using Regression;
using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Examples;
using TinyDl.Metrics;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Examples;

/// <summary>The regression example: a model that computes its own loss, named batches, a custom metric.</summary>
[NonParallelizable]
public sealed class RegressionExampleTests : TemporaryDirectoryTests
{
    private int _threads;

    // As the example's Program does: one libtorch thread, several times faster for a model this small.
    [OneTimeSetUp]
    public void UseOneThread()
    {
        _threads = get_num_threads();
        set_num_threads(1);
    }

    [OneTimeTearDown]
    public void RestoreThreads() => set_num_threads(_threads);

    [Test]
    public void A_short_run_learns_and_writes_the_custom_metric_to_the_table_the_csv_and_tensorboard()
    {
        // Arrange
        var options = new Options { Epochs = 8, Out = TestDirectory };
        var console = new TestConsole().Width(200).SupportsAnsi(false).Colors(ColorSystem.NoColors);

        // Act
        var result = RegressionRun.Run(options, console);

        // Assert
        var run = Path.Combine(TestDirectory, "lr=0.01_batch_size=32_epochs=8_seed=42");
        var csv = File.ReadAllLines(Path.Combine(run, "metrics.csv"));
        var header = csv[0].Split(',');
        double Value(string line, string column) => double.Parse(line.Split(',')[Array.IndexOf(header, column)], CultureInfo.InvariantCulture);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(csv[0], Is.EqualTo("epoch,train_loss,train_mse,validation_loss,validation_mse,validation_r2,validation_within_10pct,test_loss,test_mse,test_r2,test_within_10pct,duration"));
            Assert.That(csv, Has.Length.EqualTo(9));
            Assert.That(Value(csv[^1], "validation_loss"), Is.LessThan(Value(csv[1], "validation_loss") - 0.5));
            Assert.That(Value(csv[^1], "validation_r2"), Is.GreaterThan(0.75), "0.78 to 0.84 over ten seeds");
            Assert.That(Value(csv[^1], "validation_within_10pct"), Is.GreaterThan(0.7).And.LessThanOrEqualTo(1));
            Assert.That(Value(csv[^1], "test_r2"), Is.GreaterThan(0.7), "the held-out test set, evaluated once with the best weights");
            Assert.That(csv[1].Split(',')[Array.IndexOf(header, "test_r2")], Is.Empty, "test values only on the last row");
            Assert.That(console.Output, Does.Contain("validation_within_10pct").And.Contain("Best weights (epoch"));
            Assert.That(Directory.GetFiles(run, "events.out.tfevents.*"), Has.Length.EqualTo(1));
            Assert.That(File.Exists(Path.Combine(run, "checkpoints", "best.ckpt")), Is.True);
        });
    }

    [Test]
    public void The_custom_metric_is_the_fraction_within_ten_percent_over_uneven_batches()
    {
        // Arrange: a batch of 3 and one of 2, with a prediction exactly 10 % off and two targets of zero.
        float[][] outputs = [[11f, -5.4f, 2.3f], [0f, 0.001f]];
        float[][] targets = [[10f, -5f, 2f], [0f, 0f]];
        using var metric = new WithinTolerance(0.1);

        // Act
        metric.Reset();
        for (var i = 0; i < outputs.Length; i++)
        {
            metric.Update(new BatchCompleted(Stage.Validation, 1, 0, TimeSpan.Zero, i + 1, outputs[i].Length, null, tensor(targets[i]), tensor(outputs[i]), null));
        }

        var value = metric.Compute();

        // Assert: by hand, samples not batches: 3 of 5 (11 vs 10, -5.4 vs -5, 0 vs 0).
        var pairs = outputs.SelectMany(o => o).Zip(targets.SelectMany(t => t)).ToArray();
        var expected = pairs.Count(p => Math.Abs((double)p.First - p.Second) <= 0.1 * Math.Abs((double)p.Second)) / (double)pairs.Length;
        Assert.Multiple(() =>
        {
            Assert.That(value, Is.EqualTo(expected));
            Assert.That(value, Is.EqualTo(0.6));
            Assert.That(metric.Name, Is.EqualTo("within_10pct"));
            Assert.That(metric.HigherIsBetter, Is.True);
        });
    }

    [Test]
    public void The_reported_loss_is_the_models_own_negative_log_likelihood_over_every_sample()
    {
        // Arrange: 50 samples in batches of 16, 16, 16 and 2; a learning rate of zero keeps the weights.
        manual_seed(5);
        var model = new Regressor();
        var data = SyntheticData.Generate(50, seed: 5);
        using var trainer = new Trainer(model, new NamedTensorBatches(data, 16, shuffle: true, seed: 5), optim.SGD(model.parameters(), 0.0), step: b => RegressionRun.Step(model, b), [new Loss()]);
        using var validator = new Validator(model, new NamedTensorBatches(data, 16), step: b => RegressionRun.Step(model, b), [new Loss()]);

        // Act
        var trained = trainer.RunEpoch(1)!.Metrics["loss"];
        var validated = validator.RunEpoch()!.Metrics["loss"];

        // Assert: the Gaussian negative log-likelihood, by hand from the model's mean and log-variance.
        double expected;
        using (no_grad())
        {
            var (mean, logVariance) = model.Predict(data["features"]);
            var (m, v, y) = (mean.data<float>().ToArray(), logVariance.data<float>().ToArray(), data["target"].data<float>().ToArray());
            expected = Enumerable.Range(0, y.Length).Average(i => 0.5 * (v[i] + (Math.Pow(y[i] - m[i], 2) * Math.Exp(-v[i])) + Math.Log(2 * Math.PI)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(trained, Is.EqualTo(expected).Within(1e-5));
            Assert.That(validated, Is.EqualTo(expected).Within(1e-5));
        });
    }

    [Test]
    public void No_arguments_give_the_defaults_and_every_option_is_read()
    {
        var defaults = Options.Parse([]);
        var given = Options.Parse(["--epochs", "3", "--batch-size=16", "--lr", "1e-3", "--seed=7", "--out", "o"]);

        Assert.Multiple(() =>
        {
            Assert.That(defaults.ToExperiment().Name, Is.EqualTo("lr=0.01_batch_size=32_epochs=20_seed=42"));
            Assert.That(defaults.Out, Is.EqualTo(Path.Combine("runs", "regression")));
            Assert.That(given.ToExperiment().Name, Is.EqualTo("lr=0.001_batch_size=16_epochs=3_seed=7"));
            Assert.That(given.Out, Is.EqualTo("o"));
            Assert.That(Options.Parse(["--epochs", "0", "--help"]).Help, Is.True);
        });
    }

    [TestCase("--epochs 0", "--epochs", "Option --epochs must be a positive integer; got '0'.")]
    [TestCase("--batch-size=-4", "--batch-size", "Option --batch-size must be a positive integer; got '-4'.")]
    [TestCase("--lr 0", "--lr", "Option --lr must be a positive, finite number such as 0.01 or 1e-2; got '0'.")]
    [TestCase("--lr NaN", "--lr", "got 'NaN'")]
    [TestCase("--lr 0,01", "--lr", "got '0,01'")]
    [TestCase("--seed -1", "--seed", "Option --seed must be an integer from 0 to 2147483647; got '-1'.")]
    [TestCase("--seed 99999999999", "--seed", "got '99999999999'")]
    [TestCase("--lr", "--lr", "Option --lr needs a value, as in '--lr VALUE' or '--lr=VALUE'.")]
    [TestCase("--out --lr 0.1", "--out", "Option --out needs a value")]
    [TestCase("--learning-rate 0.1", "--learning-rate", "Unknown option '--learning-rate'. Known options: --epochs, --batch-size, --lr, --seed, --out, --resume-from, --help, --resume, --resume-strict, --restart.")]
    [TestCase("--epochs 3 extra", "extra", "Unexpected argument 'extra'; options start with '--' (see --help).")]
    [TestCase("--epochs 3 --epochs=4", "--epochs", "Option --epochs is given more than once.")]
    public void A_bad_command_line_is_rejected_naming_the_option(string commandLine, string option, string message) =>
        OptionAssert.Rejected(() => Options.Parse(commandLine.Split(' ')), option, message);

    [Test]
    public void The_program_prints_a_bad_option_with_the_usage_and_exits_with_2()
    {
        using var process = ExampleProcess.Start("Regression", ["--epochs", "zero"]);
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.EqualTo(2));
            Assert.That(error.Result, Does.StartWith("error: Option --epochs must be a positive integer; got 'zero'.").And.Contain("Usage: Regression"));
            Assert.That(output, Is.Empty);
        });
    }
}
