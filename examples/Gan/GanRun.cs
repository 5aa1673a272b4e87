using System.Globalization;
using Spectre.Console;
using TinyDl;
using TinyDl.Examples;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace Gan;

/// <summary>What a run left behind: the run's end, the trained networks and the run's directory.</summary>
internal sealed record GanRunResult(RunCompleted Result, GanModel Model, string Directory);

/// <summary>
/// One run of the example: a GAN on <see cref="RingData"/> trained with a custom step and manual
/// optimization (a discriminator update, then a generator update, each with its own optimizer), the
/// generator judged every epoch on fixed noise, reported to the console, metrics.csv and TensorBoard.
/// </summary>
internal static class GanRun
{
    /// <summary>The file the trained networks are saved to in the run directory (TorchSharp state-dict format).</summary>
    public const string ModelFileName = "model.bin";

    /// <summary>Training points per epoch.</summary>
    public const int TrainSamples = 8192;

    /// <summary>Generated points judged per epoch.</summary>
    public const int EvaluationSamples = 2000;

    /// <summary>
    /// Trains up to <see cref="Options.Epochs"/>, from epoch 1 or, as <see cref="Options.Resume"/> says, after a checkpoint.
    /// <paramref name="attach"/> may subscribe to the runner's events before the run starts.
    /// </summary>
    public static GanRunResult Run(Options options, IAnsiConsole console, CancellationToken cancellationToken, Action<Runner>? attach = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var experiment = options.ToExperiment();
        using var directory = ExampleRunDirectory.Open(options.Out, experiment, options.Resume, Console.Out);
        var seed = experiment.Get<long>("seed");
        var device = Devices.Default;

        // Move the model before creating its optimizers: an optimizer keeps the tensors it is given.
        var model = CreateModel(seed).to(device);
        var lr = experiment.Get<double>("lr");
        var optimizers = new Optimizers
        {
            ["generator"] = optim.Adam(model.Generator.parameters(), lr, beta1: 0.5),
            ["discriminator"] = optim.Adam(model.Discriminator.parameters(), lr, beta1: 0.5),
        };

        // Data and evaluation noise come from their own seeded generators, so they do not depend on the
        // weights' initialisation; the noise of the training step comes from the global generator, whose
        // state the checkpoints save. The targets (each point's mode) are not used by the step.
        var (points, modes) = RingData.Sample(TrainSamples, seed);
        var train = new TensorBatches(points.to(device), modes.to(device), experiment.Get<int>("batch_size"), shuffle: true, seed: seed);
        var noise = RingData.Noise(EvaluationSamples, seed + 1).to(device);
        var evaluation = new List<IReadOnlyDictionary<string, Tensor>> { new Dictionary<string, Tensor> { ["z"] = noise } };
        var centers = RingData.Centers().to(device);

        var fingerprints = new Dictionary<Stage, string> { [Stage.Train] = Fingerprint.Of(points, modes), [Stage.Validation] = Fingerprint.Of(noise) };
        using var trainer = new Trainer(
            model,
            train,
            optimizers,
            step: batch => TrainStep(model, optimizers, batch),
            [new Mean("d_loss", b => b.Value("d_loss")) { Ranked = false }, new Mean("g_loss", b => b.Value("g_loss")) { Ranked = false }])
        {
            ManualOptimization = true,
        };
        using var validator = new Validator(
            model,
            evaluation,
            step: batch => EvaluationStep(model, centers, batch),
            [new Mean("mode_distance", b => b.Value("mode_distance")), new Mean("near_mode", b => b.Value("near_mode"), higherIsBetter: true), new ModesCovered()]);
        using var runner = new Runner(trainer, validator) { Experiment = experiment, Device = device };

        // No best.ckpt: neither GAN loss measures quality, and the closest a generator comes to the
        // modes is best for a collapsed one; last.ckpt (for --resume) is what a GAN run needs.
        var checkpoints = new Checkpointer(directory.Checkpoints) { Monitor = null, Fingerprints = fingerprints };
        using var table = new ConsoleTableReporter(console);
        using var csv = new CsvReporter(Path.Combine(directory.Path, "metrics.csv"));
        using var tensorBoard = new TensorBoardReporter(directory.Path);
        using var manifest = new ManifestWriter(directory.Path, model, fingerprints, seed);
        var from = directory.Start(checkpoints);
        using var attached = runner.Attach(table, csv, tensorBoard, manifest, checkpoints);

        attach?.Invoke(runner);
        var result = runner.Run(options.Epochs, from, cancellationToken);
        if (result.Epoch > 0)
        {
            ModelFile.Save(model, Path.Combine(directory.Path, ModelFileName));
            manifest.RecordWeights(ModelFileName, result.Epoch, "last");
        }

        return new GanRunResult(result, model, directory.Path);
    }

    /// <summary>
    /// Seeds every generator with <paramref name="seed"/> and creates the networks: the initial weights of
    /// a run with that seed. Also pins libtorch to one CPU thread (deterministic): networks this small
    /// gain nothing from more, and on a busy machine idle threads spinning in OpenMP made a run 16 times
    /// slower; runs then also agree bit for bit across processes.
    /// </summary>
    public static GanModel CreateModel(long seed)
    {
        Seed.Everything(seed, deterministic: true);
        return new GanModel();
    }

    /// <summary>Two lines for the end of the output: the generator's quality after the last epoch, and where the run is.</summary>
    public static string Describe(GanRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (!run.Result.Final.TryGetValue(Stage.Validation, out var final))
        {
            return Invariant($"No epoch completed; nothing was saved in {Path.GetFullPath(run.Directory)}.");
        }

        return Invariant($"""
            After epoch {run.Result.Epoch}: {final["modes"]:F0} of {RingData.Modes} modes covered, {final["near_mode"]:P1} of the generated points within {RingData.NearDistance:0.##} of a mode, mean distance to the nearest mode {final["mode_distance"]:F3}.
            Run written to {Path.GetFullPath(run.Directory)}: metrics.csv, TensorBoard events, run.json, checkpoints/ and {ModelFileName}. View with: tensorboard --logdir {Path.GetDirectoryName(Path.GetFullPath(run.Directory))}
            """);
    }

    /// <summary>
    /// One batch: the discriminator learns to tell the real points from generated ones, then the
    /// generator learns to make the updated discriminator call its points real (the non-saturating
    /// loss). Each update has its own zero_grad, backward and step; TinyDl only counts and reports.
    /// </summary>
    private static StepOutput TrainStep(GanModel model, Optimizers optimizers, Batch batch)
    {
        var real = batch.Input;
        var size = real.size(0);
        var realLabels = ones([size, 1], device: real.device);
        var fakeLabels = zeros([size, 1], device: real.device);
        var fake = model.Generator.call(randn([size, GanModel.LatentSize], device: real.device));

        // The generated points are detached, so this update leaves the generator alone.
        optimizers["discriminator"].zero_grad();
        var discriminatorLoss = nn.functional.binary_cross_entropy_with_logits(model.Discriminator.call(real), realLabels)
            + nn.functional.binary_cross_entropy_with_logits(model.Discriminator.call(fake.detach()), fakeLabels);
        discriminatorLoss.backward();
        optimizers["discriminator"].step();

        // This backward also leaves gradients in the discriminator; its zero_grad clears them next batch.
        optimizers["generator"].zero_grad();
        var generatorLoss = nn.functional.binary_cross_entropy_with_logits(model.Discriminator.call(fake), realLabels);
        generatorLoss.backward();
        optimizers["generator"].step();

        return new StepOutput
        {
            Values = new Dictionary<string, Tensor> { ["d_loss"] = discriminatorLoss.detach(), ["g_loss"] = generatorLoss.detach() },
        };
    }

    /// <summary>Generates points from the batch's fixed noise and measures how close each lies to the nearest mode.</summary>
    private static StepOutput EvaluationStep(GanModel model, Tensor centers, Batch batch)
    {
        var generated = model.Generator.call(batch["z"]);
        var (distance, nearest) = cdist(generated, centers).min(1);
        return new StepOutput
        {
            Output = generated,
            Values = new Dictionary<string, Tensor>
            {
                ["mode_distance"] = distance,
                ["near_mode"] = (distance <= RingData.NearDistance).to_type(ScalarType.Float32),
                ["nearest_mode"] = nearest,
            },
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
