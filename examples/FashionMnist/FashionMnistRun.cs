using System.Globalization;
using System.Reactive.Disposables;
using Spectre.Console;
using TinyDl;
using TinyDl.Controls;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>One training run of the example: model, data, metrics, reporters and checkpoints for one experiment.</summary>
internal static class FashionMnistRun
{
    /// <summary>The file the trained model is saved to in the run directory (TorchSharp state-dict format).</summary>
    public const string ModelFileName = "model.bin";

    /// <summary>
    /// Trains and validates the model of <paramref name="experiment"/>, writing everything under <c>--out/&lt;name&gt;/</c>.
    /// Returns the run's end and whether early stopping (<c>--early-stopping</c>) ended it.
    /// </summary>
    public static (RunCompleted Result, bool EarlyStopped) Run(Experiment experiment, Options options, FashionMnistData data, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var seed = experiment.Get<long>("seed");
        Seed.Everything(seed, options.Deterministic);
        var device = Runner.DefaultDevice;

        // Move the model before creating its optimizer: the optimizer keeps the tensors it is given.
        var model = FashionMnistModel.Create(experiment.Get<string>("model"), experiment.Get<int>("hidden")).to(device);
        var optimizer = optim.Adam(model.parameters(), experiment.Get<double>("lr"));
        var loss = nn.CrossEntropyLoss();
        var train = new TensorBatches(data.Train.Images.to(device), data.Train.Labels.to(device), experiment.Get<int>("batch_size"), shuffle: true, seed: seed);
        var test = new TensorBatches(data.Test.Images.to(device), data.Test.Labels.to(device), options.ValidBatchSize);

        var directory = Path.Combine(options.Out, experiment.Name);

        // The example validates on the test files, so the validation and test fingerprints are the same.
        var fingerprints = new Dictionary<Stage, string> { [Stage.Train] = data.Train.Fingerprint, [Stage.Validation] = data.Test.Fingerprint, [Stage.Test] = data.Test.Fingerprint };
        var scheduler = experiment.Contains("scheduler") ? experiment.Get<string>("scheduler") : "none";
        Metric[] trainMetrics = scheduler == "none" ? [new Loss(), new Accuracy()] : [new Loss(), new Accuracy(), new LearningRate(optimizer)];
        using var trainer = new Trainer(model, train, optimizer, loss, trainMetrics);
        using var validator = new Validator(model, test, loss, [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator)
        {
            Experiment = experiment,
            Device = device,
            Checkpoints = new Checkpointer(Path.Combine(directory, "checkpoints"))
            {
                Monitor = "loss",
                RestoreBestWeights = !options.LastWeights,
                Fingerprints = fingerprints,
            },
        };

        using var table = new ConsoleTableReporter(console);
        using var csv = new CsvReporter(Path.Combine(directory, "metrics.csv"));
        using var tensorBoard = new TensorBoardReporter(directory);
        using var manifest = new ManifestWriter(directory, model, fingerprints, seed);
        using var subscriptions = new CompositeDisposable(table.AttachTo(runner), csv.AttachTo(runner), tensorBoard.AttachTo(runner), manifest.AttachTo(runner));
        if (Schedule(scheduler, optimizer, experiment.Get<int>("epochs") * train.Count) is { } schedule)
        {
            subscriptions.Add(schedule.AttachTo(runner));
        }

        var earlyStopping = options.EarlyStopping is { } patience ? new EarlyStopping("loss") { Patience = patience } : null;
        if (earlyStopping is not null)
        {
            subscriptions.Add(earlyStopping.AttachTo(runner));
        }

        var result = runner.Run(experiment.Get<int>("epochs"), options.Resume, cancellationToken);
        var earlyStopped = result.Status == RunStatus.Stopped && earlyStopping?.StoppedEpoch == result.Epoch;
        if (earlyStopped)
        {
            Console.WriteLine(Invariant($"Early stopping after epoch {result.Epoch}: the validation loss has not improved for {options.EarlyStopping} epochs."));
        }

        if (result.Epoch > 0)
        {
            var weights = result.RestoredEpoch is { } epoch ? $"best weights, from epoch {epoch}" : "last weights";
            var final = validator.RunEpoch(result.Epoch, result.GlobalStep, CancellationToken.None)!.Metrics;
            Console.WriteLine(Invariant($"Final evaluation on the test set ({weights}): accuracy {final["accuracy"]:F4}, loss {final["loss"]:F4}"));
            ModelFile.Save(model, Path.Combine(directory, ModelFileName));
            manifest.RecordWeights(ModelFileName, result.RestoredEpoch ?? result.Epoch, result.RestoredEpoch is null ? "last" : "best");
        }

        return (result, earlyStopped);
    }

    /// <summary>Evaluates the model saved in <paramref name="runDirectory"/> on the test set, in a process of its own.</summary>
    public static int Evaluate(string runDirectory, Options options, FashionMnistData data, IAnsiConsole console)
    {
        var manifest = RunManifest.Read(Path.Combine(runDirectory, "run.json"));
        var hidden = Convert.ToInt32(manifest.Hyperparameters["hidden"], CultureInfo.InvariantCulture);

        // Runs written before --model existed have no "model" key; they are MLPs.
        var kind = manifest.Hyperparameters.TryGetValue("model", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture)! : FashionMnistModel.Mlp;
        var model = FashionMnistModel.Create(kind, hidden);
        ModelFile.Load(model, Path.Combine(runDirectory, ModelFileName));
        using var validator = new Validator(model, new TensorBatches(data.Test.Images, data.Test.Labels, options.ValidBatchSize), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        var metrics = validator.RunEpoch()!.Metrics;
        Console.WriteLine(Invariant($"Evaluation of {Path.Combine(runDirectory, ModelFileName)} on the test set: accuracy {metrics["accuracy"]:F4}, loss {metrics["loss"]:F4}"));
        return 0;
    }

    /// <summary>Prints where the files are and, for a sweep, the runs under --out by best validation accuracy.</summary>
    public static void Summarize(int runs, Options options, IAnsiConsole console)
    {
        if (runs > 1)
        {
            HighscoresTable.Write(console, Highscores.Scan(options.Out).Rank(new HighscoreQuery { Metric = "validation_accuracy" }));
        }

        Console.WriteLine(Invariant($"Runs written to {Path.GetFullPath(options.Out)}: metrics.csv, TensorBoard events, run.json, checkpoints/ and {ModelFileName} per experiment. View with: tensorboard --logdir {options.Out}"));
    }

    /// <summary>The learning-rate schedule of <c>--scheduler</c>, or null for none; <paramref name="steps"/> is the run's number of batches.</summary>
    private static LearningRateSchedule? Schedule(string scheduler, optim.Optimizer optimizer, int steps) => scheduler switch
    {
        "step" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.StepLR(o, step_size: 2, gamma: 0.5)),
        "cosine" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.CosineAnnealingLR(o, T_max: steps), ScheduleInterval.Batch),
        "plateau" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0)) { Monitor = "loss" },
        _ => null,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
