using System.Globalization;
using Spectre.Console;
using TinyDl;
using TinyDl.Controls;
using TinyDl.Examples;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TorchSharp;
using static TorchSharp.torch;

namespace Regression;

/// <summary>One run of the example: data, model, custom steps, metrics, reporters and checkpoints.</summary>
internal static class RegressionRun
{
    /// <summary>Training samples.</summary>
    public const int TrainSamples = 2000;

    /// <summary>Validation samples, drawn with another seed from the same distribution.</summary>
    public const int ValidationSamples = 500;

    /// <summary>Test samples, drawn with a third seed: evaluated once, with the best weights, after training.</summary>
    public const int TestSamples = 1000;

    /// <summary>The validation batch size: two batches, the second shorter.</summary>
    public const int ValidationBatchSize = 256;

    /// <summary>The step of both stages: the batch's tensors go to forward(features, target) by name;
    /// the model returns its prediction and its own loss. The target defaults to batch["target"].</summary>
    public static StepOutput Step(Regressor model, Batch batch)
    {
        var (prediction, loss) = batch.Forward<(Tensor, Tensor)>(model);
        return new StepOutput(loss) { Output = prediction };
    }

    /// <summary>The validation metrics: the model's own loss, two of the library's and the example's own.</summary>
    public static Metric[] ValidationMetrics() => [new Loss(), new MeanSquaredError(), new R2Score(), new WithinTolerance(0.1)];

    /// <summary>Trains and validates for <see cref="Options.Epochs"/> epochs, writing everything under <c>--out/&lt;experiment&gt;/</c>.</summary>
    public static RunCompleted Run(Options options, IAnsiConsole console, CancellationToken cancellationToken = default)
    {
        var experiment = options.ToExperiment();
        using var directory = ExampleRunDirectory.Open(options.Out, experiment, options.Resume, Console.Out);
        Seed.Everything(options.Seed);
        var model = new Regressor();
        var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        var train = new NamedTensorBatches(SyntheticData.Generate(TrainSamples, options.Seed), options.BatchSize, shuffle: true, seed: options.Seed);
        var validation = new NamedTensorBatches(SyntheticData.Generate(ValidationSamples, options.Seed + 1), ValidationBatchSize);
        var testData = new NamedTensorBatches(SyntheticData.Generate(TestSamples, options.Seed + 2), ValidationBatchSize);

        using var trainer = new Trainer(model, train, optimizer, step: batch => Step(model, batch), [new Loss(), new MeanSquaredError()]);
        using var validator = new Validator(model, validation, step: batch => Step(model, batch), ValidationMetrics());
        using var test = new Validator(model, testData, step: batch => Step(model, batch), ValidationMetrics(), Stage.Test);
        using var runner = new Runner(trainer, validator) { Experiment = experiment, Test = test };
        var checkpoints = new Checkpointer(directory.Checkpoints) { Monitor = "loss", RestoreBestWeights = true };
        using var table = new ConsoleTableReporter(console);
        using var csv = new CsvReporter(Path.Combine(directory.Path, "metrics.csv"));
        using var tensorBoard = new TensorBoardReporter(directory.Path);
        var schedule = new LearningRateSchedule(optimizer, o => optim.lr_scheduler.CosineAnnealingLR(o, T_max: options.Epochs));
        var from = directory.Start(checkpoints);
        using var attached = runner.Attach(table, csv, tensorBoard, schedule, checkpoints);

        var result = runner.Run(options.Epochs, from, cancellationToken);
        if (checkpoints.RestoredEpoch is { } best)
        {
            console.WriteLine(Invariant($"Best weights (epoch {best}): mean ± standard deviation against the truth"));
            PrintPredictions(model, console);
        }

        console.WriteLine($"Written to {directory.Path}");
        console.WriteLine($"View with: tensorboard --logdir {options.Out}");
        return result;
    }

    private static void PrintPredictions(Regressor model, IAnsiConsole console)
    {
        double[] xs = [0.5, 1.5, 2.5, 3.5];
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (mean, logVariance) = model.Predict(tensor(xs.Select(x => (float)x).ToArray()).reshape(-1, 1));
        var means = mean.data<float>().ToArray();
        var deviations = (0.5 * logVariance).exp().data<float>().ToArray();
        for (var i = 0; i < xs.Length; i++)
        {
            console.WriteLine(Invariant($"  x = {xs[i]:F1}: {means[i]:F3} ± {deviations[i]:F3}   (truth {SyntheticData.Function(xs[i]):F3} ± {SyntheticData.NoiseScale(xs[i]):F3})"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
