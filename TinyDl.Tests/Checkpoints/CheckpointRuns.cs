using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Checkpoints;

/// <summary>Seeded runs whose resume depends on every restored state: Adam's moments, dropout's random
/// stream and the shuffled data order.</summary>
internal static class CheckpointRuns
{
    public static Experiment Experiment(double lr = 0.01) => new([new("lr", lr)]);

    public static (Runner Runner, nn.Module<Tensor, Tensor> Model) Create(Checkpointer? checkpoints, Experiment? experiment = null, long seed = 11)
    {
        experiment ??= Experiment();
        manual_seed(seed);
        var (x, y) = Synthetic.Classification(120, seed);
        var (vx, vy) = Synthetic.Classification(40, seed + 100);
        var model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3));
        var optimizer = optim.Adam(model.parameters(), experiment.Get<double>("lr"));
        var loss = nn.CrossEntropyLoss();
        var trainer = new Trainer(model, new TensorBatches(x, y, 16, shuffle: true, seed: seed), optimizer, loss, [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy()]);
        var validator = new Validator(model, new TensorBatches(vx, vy, 16), loss, [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy()]);
        var runner = new Runner(trainer, validator) { Experiment = experiment };
        checkpoints?.AttachTo(runner);
        return (runner, model);
    }

    /// <summary>Where <paramref name="checkpoints"/> continue a run: its last checkpoint, or null when there is none.</summary>
    public static ResumePoint? Resume(Checkpointer checkpoints) => checkpoints.ResumePoint(ResumeMode.IfAvailable);

    public static float[][] Weights(nn.Module model) =>
        [.. model.parameters().Select(p => p.detach().cpu().data<float>().ToArray())];
}
