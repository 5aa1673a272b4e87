using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Support;

/// <summary>Small, seeded classification problems for tests that train for real.</summary>
internal static class Synthetic
{
    /// <summary>Samples with 4 features and 3 classes, learnable by a linear model.</summary>
    public static (Tensor Inputs, Tensor Targets) Classification(int samples, long seed = 1)
    {
        using var generator = new Generator((ulong)seed);
        var inputs = randn([samples, 4], generator: generator);
        var projection = tensor(new float[] { 1, -1, 0.5f, 0, 1, -0.5f, -1, 0, 1, 0.5f, 0.5f, 0 }).reshape(4, 3);
        var targets = inputs.matmul(projection).argmax(1);
        return (inputs, targets);
    }

    /// <summary>A trainer, validator and runner over a linear 4-to-3 classifier, seeded.</summary>
    public static (Runner Runner, nn.Module<Tensor, Tensor> Model) Run(
        int trainSamples = 50,
        int batchSize = 8,
        int validSamples = 20,
        int validBatchSize = 7,
        long seed = 7,
        Func<IEnumerable<Metric>>? metrics = null)
    {
        manual_seed(seed);
        var (x, y) = Classification(trainSamples, seed);
        var (vx, vy) = Classification(validSamples, seed + 100);
        var model = nn.Linear(4, 3);
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var loss = nn.CrossEntropyLoss();
        metrics ??= () => [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy()];
        var trainer = new Trainer(model, new TensorBatches(x, y, batchSize, shuffle: true, seed: seed), optimizer, loss, metrics());
        var validator = new Validator(model, new TensorBatches(vx, vy, validBatchSize), loss, metrics());
        return (new Runner(trainer, validator), model);
    }
}
