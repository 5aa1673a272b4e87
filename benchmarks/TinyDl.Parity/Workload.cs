using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Parity;

/// <summary>The data and model of one benchmark workload; both contenders build theirs from it with the same seed.</summary>
internal sealed record Workload(
    string Name,
    Tensor TrainInputs,
    Tensor TrainTargets,
    Tensor TestInputs,
    Tensor TestTargets,
    int Inputs,
    int Hidden,
    int Classes,
    int BatchSize,
    int TestBatchSize,
    double LearningRate)
{
    public const long Seed = 42;

    /// <summary>libtorch's intra-op threads for this workload; 0 keeps libtorch's default (one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Training plus validation batches of one epoch.</summary>
    public int BatchesPerEpoch => (int)(((TrainInputs.size(0) + BatchSize - 1) / BatchSize) + ((TestInputs.size(0) + TestBatchSize - 1) / TestBatchSize));

    public nn.Module<Tensor, Tensor> CreateModel()
    {
        if (Threads > 0)
        {
            set_num_threads(Threads);
        }

        manual_seed(Seed);
        return nn.Sequential(
            ("hidden", nn.Linear(Inputs, Hidden)),
            ("relu", nn.ReLU()),
            ("output", nn.Linear(Hidden, Classes)));
    }

    public TensorBatches TrainBatches() => new(TrainInputs, TrainTargets, BatchSize, shuffle: true, seed: Seed);

    public TensorBatches TestBatches() => new(TestInputs, TestTargets, TestBatchSize);

    /// <summary>
    /// A tiny MLP where per-batch overhead dominates: 32 features, 10 classes, batch 32. One libtorch
    /// thread: operations this small gain nothing from a second thread, whose synchronisation only adds
    /// noise (medians moved by +-25% between identical runs with two).
    /// </summary>
    public static Workload Synthetic()
    {
        using var generator = new Generator(7);
        var centers = randn([10, 32], generator: generator) * 0.3;
        (Tensor, Tensor) Sample(int n)
        {
            var labels = randint(0, 10, [n], generator: generator);
            var inputs = centers.index_select(0, labels) + randn([n, 32], generator: generator);
            return (inputs, labels);
        }

        var (x, y) = Sample(20_000);
        var (tx, ty) = Sample(5_000);
        return new Workload("synthetic", x, y, tx, ty, 32, 32, 10, 32, 1000, 1e-3) { Threads = 1 };
    }
}
