using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.KillTarget;

/// <summary>The seeded problem and model the kill target trains; the test builds the same model to load checkpoints.</summary>
public static class KillTargetRun
{
    public const long Seed = 42;

    /// <summary>20 features, 3 classes, 9,600 training samples in 300 batches of 32, 2,000 validation samples.</summary>
    public static (Tensor X, Tensor Y, Tensor ValidX, Tensor ValidY) Data()
    {
        using var generator = new Generator((ulong)Seed);
        var projection = randn([20, 3], generator: generator);
        var x = randn([9600, 20], generator: generator);
        var validX = randn([2000, 20], generator: generator);
        return (x, x.matmul(projection).argmax(1), validX, validX.matmul(projection).argmax(1));
    }

    /// <summary>An MLP with dropout, so that resuming depends on the random state as well.</summary>
    public static nn.Module<Tensor, Tensor> Model() =>
        nn.Sequential(nn.Linear(20, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 3));

    public static optim.Optimizer Optimizer(nn.Module<Tensor, Tensor> model) => optim.Adam(model.parameters(), 1e-3);
}
