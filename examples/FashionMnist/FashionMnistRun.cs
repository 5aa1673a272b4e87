using System.Globalization;
using Spectre.Console;
using TinyDl;
using TinyDl.Controls;
using TinyDl.Examples;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>One training run of the example: data splits, model, metrics, reporters and checkpoints for one experiment.</summary>
internal static class FashionMnistRun
{
    /// <summary>The file the trained model is saved to in the run directory (TorchSharp state-dict format).</summary>
    public const string ModelFileName = "model.bin";

    /// <summary>How a run ended, and where its checkpoints are.</summary>
    public sealed record Outcome(RunCompleted Result, string Checkpoints, bool HasCheckpoint);

    /// <summary>Loads the data, turning every way it can fail into a <see cref="DataException"/> that names the file.</summary>
    public static FashionMnistData LoadData(string directory)
    {
        try
        {
            return FashionMnistData.Load(directory);
        }
        catch (Exception error) when (error is DataNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new DataException(error.Message, error);
        }
    }

    /// <summary>
    /// Trains the model of <paramref name="experiment"/> on the training images less the validation split,
    /// validates every epoch, then evaluates the test images once with the chosen weights; writes everything
    /// under <c>--out/&lt;name&gt;/</c>.
    /// </summary>
    public static Outcome Run(Experiment experiment, Options options, FashionMnistData data, IAnsiConsole console, CancellationToken cancellationToken)
    {
        // The run directory first: locked, checked, and an earlier run kept aside before any file is written.
        using var directory = ExampleRunDirectory.Open(options.Out, experiment, options.Resume, Console.Out);
        var seed = experiment.Get<long>("seed");
        var validationSize = experiment.Contains("validation_size") ? experiment.Get<int>("validation_size") : Options.DefaultValidationSize;
        var validating = validationSize > 0;
        if (validationSize >= data.Train.Count)
        {
            throw new OptionsException($"Option --validation-size must leave training images: the data in '{data.Directory}' has {data.Train.Count}; got '{validationSize}'.") { Option = "--validation-size" };
        }

        // The training split stays in place: its rows are batched where they are (no 172 MB copy to make,
        // whose fresh pages alone took 0.4 s here); the small validation split is copied.
        var (kept, held) = DataSplit.StratifiedIndices(data.Train.Labels, validationSize, seed);
        var (validX, validY) = (data.Train.Images.index_select(0, held), data.Train.Labels.index_select(0, held));
        using var splits = new TensorSet(kept, held, validX, validY);
        var fingerprints = new Dictionary<Stage, string> { [Stage.Train] = Fingerprint.OfRows(kept, data.Train.Images, data.Train.Labels), [Stage.Test] = data.Test.Fingerprint };
        if (validating)
        {
            fingerprints[Stage.Validation] = Fingerprint.Of(validX, validY);
        }

        Seed.Everything(seed, options.Deterministic);
        var device = Devices.Default;

        // Move the model before creating its optimizer: the optimizer keeps the tensors it is given.
        var model = FashionMnistModel.Create(experiment.Get<string>("model"), experiment.Get<int>("hidden")).to(device);
        var optimizer = optim.Adam(model.parameters(), experiment.Get<double>("lr"));
        var loss = nn.CrossEntropyLoss();
        var train = new TensorBatches(data.Train.Images.to(device), data.Train.Labels.to(device), kept.to(device), experiment.Get<int>("batch_size"), shuffle: true, seed: seed);
        var scheduler = experiment.Contains("scheduler") ? experiment.Get<string>("scheduler") : "none";
        Metric[] trainMetrics = scheduler == "none" ? [new Loss(), new Accuracy()] : [new Loss(), new Accuracy(), new LearningRate(optimizer)];
        // With --augment, a custom step trains on augmented images; validation and test see them as they are.
        using var trainer = experiment.Contains("augment") && experiment.Get<bool>("augment")
            ? new Trainer(model, train, optimizer, step: batch => Augmented(model, loss, batch), trainMetrics)
            : new Trainer(model, train, optimizer, loss, trainMetrics);
        using var validator = validating ? new Validator(model, new TensorBatches(validX.to(device), validY.to(device), options.ValidBatchSize), loss, [new Loss(), new Accuracy(), new ConfusionMatrix(10)]) : null;
        using var test = new Validator(model, new TensorBatches(data.Test.Images.to(device), data.Test.Labels.to(device), options.ValidBatchSize), loss, [new Loss(), new Accuracy(), new ConfusionMatrix(10)], Stage.Test);
        using var runner = new Runner(trainer, validator) { Experiment = experiment, Device = device, Test = test };

        var checkpoints = new Checkpointer(directory.Checkpoints)
        {
            Monitor = validating ? "loss" : null,
            RestoreBestWeights = validating && !options.LastWeights,
            Fingerprints = fingerprints,
        };
        using var table = new ConsoleTableReporter(console);
        using var csv = new CsvReporter(Path.Combine(directory.Path, "metrics.csv"));
        using var tensorBoard = new TensorBoardReporter(directory.Path);
        using var manifest = new ManifestWriter(directory.Path, model, fingerprints, seed);
        // What the predictions look like: confusion matrices, worst and correct grids, PR curves (predictions/ and TensorBoard).
        using var confusion = new ConfusionMatrixReporter(directory.Path, FashionMnistData.ClassNames) { TensorBoard = tensorBoard };
        using var grids = new PredictionGridReporter(directory.Path, FashionMnistData.ClassNames, 28, 28) { TensorBoard = tensorBoard, Seed = seed };
        using var curves = new PrCurveReporter(tensorBoard, FashionMnistData.ClassNames);
        var participants = new List<IRunParticipant> { table, csv, tensorBoard, confusion, grids, curves, manifest, checkpoints };
        if (Schedule(scheduler, optimizer, experiment.Get<int>("epochs") * train.Count) is { } schedule)
        {
            participants.Add(schedule);
        }

        if (options.EarlyStopping is { } patience)
        {
            participants.Add(new EarlyStopping("loss") { Patience = patience });
        }

        var from = directory.Start(checkpoints);
        using var attached = runner.Attach(participants);
        var result = runner.Run(experiment.Get<int>("epochs"), from, cancellationToken);
        if (result.StopReason is { } reason && !cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine(Invariant($"Stopped after epoch {result.Epoch}: {reason}."));
        }

        if (result.Final.TryGetValue(Stage.Test, out var final))
        {
            var weights = checkpoints.RestoredEpoch is { } best ? $"best weights, from epoch {best}" : $"last weights, epoch {result.Epoch}";
            Console.WriteLine(Invariant($"Test set ({weights}): accuracy {final["accuracy"]:F4}, loss {final["loss"]:F4}"));
            ModelFile.Save(model, Path.Combine(directory.Path, ModelFileName));
            manifest.RecordWeights(ModelFileName, checkpoints.RestoredEpoch ?? result.Epoch, checkpoints.RestoredEpoch is null ? "last" : "best");
        }

        return new Outcome(result, checkpoints.Directory, File.Exists(checkpoints.LastPath));
    }

    /// <summary>Evaluates the model saved in <paramref name="runDirectory"/> on the test set, after checking it is the file the run wrote.</summary>
    public static int Evaluate(string runDirectory, Options options, FashionMnistData data)
    {
        var (manifest, weights) = SavedModel(runDirectory);
        var hidden = Convert.ToInt32(manifest.Hyperparameters["hidden"], CultureInfo.InvariantCulture);

        // Runs written before --model existed have no "model" key; they are MLPs.
        var kind = manifest.Hyperparameters.TryGetValue("model", out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture)! : FashionMnistModel.Mlp;
        var model = FashionMnistModel.Create(kind, hidden);
        try
        {
            ModelFile.Load(model, weights);
        }
        catch (Exception error) when (error is IOException or ArgumentException or InvalidOperationException or System.Runtime.InteropServices.ExternalException)
        {
            throw new RunDirectoryException($"Cannot load '{weights}' into a {kind} model with hidden={hidden}: {error.Message}", runDirectory, error);
        }

        using var tester = new Validator(model, new TensorBatches(data.Test.Images, data.Test.Labels, options.ValidBatchSize), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()], Stage.Test);
        var metrics = tester.RunEpoch()!.Metrics;
        Console.WriteLine(Invariant($"Evaluation of {weights} on the test set: accuracy {metrics["accuracy"]:F4}, loss {metrics["loss"]:F4}"));
        return ExitCodes.Success;
    }

    /// <summary>Prints where the files are and, for a sweep, the runs under --out by best validation accuracy.</summary>
    public static void Summarize(int runs, Options options, IAnsiConsole console)
    {
        if (runs > 1)
        {
            HighscoresTable.Write(console, Highscores.Scan(options.Out).Rank(new HighscoreQuery { Metric = "validation_accuracy" }));
        }

        Console.WriteLine(Invariant($"Runs written to {Path.GetFullPath(options.Out)}: metrics.csv, TensorBoard events, run.json, checkpoints/ and {ModelFileName} per experiment. View with: tinydl board {options.Out} (or tensorboard --logdir {options.Out})"));
    }

    /// <summary>The run's manifest and its model file, checked against the SHA-256 the run recorded.</summary>
    private static (RunManifest Manifest, string Weights) SavedModel(string runDirectory)
    {
        if (!Directory.Exists(runDirectory))
        {
            throw new RunDirectoryException($"There is no run directory '{runDirectory}'; give a directory under --out that holds run.json and {ModelFileName}.", runDirectory);
        }

        RunManifest manifest;
        try
        {
            manifest = RunManifest.Read(Path.Combine(runDirectory, RunManifest.FileName));
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new RunDirectoryException($"Cannot read the run's manifest in '{runDirectory}': {error.Message}", runDirectory, error);
        }

        var weights = Path.Combine(runDirectory, manifest.Weights?.File ?? ModelFileName);
        if (!File.Exists(weights))
        {
            throw new RunDirectoryException($"The run in '{runDirectory}' has no {Path.GetFileName(weights)}; it did not finish an epoch and a test (status {manifest.Status.ToString().ToLowerInvariant()}).", runDirectory);
        }

        if (manifest.Weights is { } recorded && Fingerprint.OfFiles(weights) != recorded.Sha256)
        {
            throw new RunDirectoryException($"'{weights}' is not the file the run saved: its SHA-256 differs from run.json's ({recorded.Sha256[..12]}...); it was damaged or replaced.", runDirectory);
        }

        return (manifest, weights);
    }

    /// <summary>The learning-rate schedule of <c>--scheduler</c>, or null for none; <paramref name="steps"/> is the run's number of batches.</summary>
    private static LearningRateSchedule? Schedule(string scheduler, optim.Optimizer optimizer, int steps) => scheduler switch
    {
        "step" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.StepLR(o, step_size: 2, gamma: 0.5)),
        "cosine" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.CosineAnnealingLR(o, T_max: steps), ScheduleInterval.Batch),
        "plateau" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0)) { Monitor = "loss" },
        _ => null,
    };

    private static StepOutput Augmented(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor, Tensor> loss, Batch batch)
    {
        var output = model.call(Augmentation.Apply(batch.Input));
        return new StepOutput(loss.call(output, batch.Target)) { Output = output };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Disposes the split's tensors with the run.</summary>
    private sealed class TensorSet(params Tensor[] tensors) : IDisposable
    {
        public void Dispose()
        {
            foreach (var tensor in tensors)
            {
                tensor.Dispose();
            }
        }
    }
}
