using TinyDl.Runs;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Runs;

/// <summary>Hand-made manifests and a real tiny run with an experiment.</summary>
internal static class RunDirectories
{
    /// <summary>A manifest with lr and hidden, validation accuracy and loss (best and final), written under root/run.</summary>
    public static RunManifest Write(
        string root,
        string run,
        double lr,
        int hidden,
        double bestAccuracy,
        double finalAccuracy,
        double bestLoss,
        RunStatus status = RunStatus.Completed,
        int epoch = 3)
    {
        var started = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var manifest = new RunManifest
        {
            Name = run,
            Hyperparameters = new Dictionary<string, object> { ["lr"] = lr, ["hidden"] = hidden },
            Seed = 42,
            Status = status,
            StartedAt = started,
            UpdatedAt = started.AddMinutes(epoch),
            EndedAt = status == RunStatus.Running ? null : started.AddMinutes(epoch),
            Epoch = epoch,
            Epochs = 3,
            Metrics = new Dictionary<string, MetricSummary>
            {
                ["validation_loss"] = new(bestLoss + 0.1, bestLoss, 2, false),
                ["validation_accuracy"] = new(finalAccuracy, bestAccuracy, 2, true),
            },
        };
        manifest.WriteTo(Path.Combine(root, run, RunManifest.FileName));
        return manifest;
    }

    /// <summary>Synthetic.Run's linear classifier, with an experiment (lr, seed) on the runner.</summary>
    public static (Runner Runner, nn.Module<Tensor, Tensor> Model, Experiment Experiment) RealRun(long seed = 7)
    {
        var experiment = new Experiment([new("lr", 0.1), new("seed", seed)]);
        manual_seed(seed);
        var (x, y) = Synthetic.Classification(50, seed);
        var (vx, vy) = Synthetic.Classification(20, seed + 100);
        var model = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();
        var trainer = new Trainer(model, new TensorBatches(x, y, 8, shuffle: true, seed: seed), optim.SGD(model.parameters(), 0.1), loss, [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy()]);
        var validator = new Validator(model, new TensorBatches(vx, vy, 7), loss, [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy()]);
        return (new Runner(trainer, validator) { Experiment = experiment }, model, experiment);
    }
}
