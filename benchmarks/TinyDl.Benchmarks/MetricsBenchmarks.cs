using BenchmarkDotNet.Attributes;
using TinyDl.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Benchmarks;

/// <summary>
/// The per-batch cost of updating Accuracy + CrossEntropy + F1Score (macro, 10 classes) on a batch of
/// 256 x 10 logits, next to the forward pass of the example's MLP (784-256-10, ReLU) on the same batch.
/// Run: <c>dotnet run -c Release --project benchmarks/TinyDl.Benchmarks -- --filter '*Metrics*' --job short</c>.
/// </summary>
[MemoryDiagnoser]
public class MetricsBenchmarks
{
    private const int BatchSize = 256;
    private const int Classes = 10;
    private nn.Module<Tensor, Tensor> _model = null!;
    private Tensor _input = null!;
    private Tensor _logits = null!;
    private Tensor _labels = null!;
    private BatchCompleted _batch = null!;
    private Metric[] _metrics = [];

    /// <summary>Builds the model, one batch, and the metrics.</summary>
    [GlobalSetup]
    public void Setup()
    {
        random.manual_seed(1);
        _model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, Classes));
        _model.eval();
        _input = randn(BatchSize, 784);
        _logits = randn(BatchSize, Classes);
        _labels = randint(0, Classes, BatchSize, ScalarType.Int64);
        _batch = new BatchCompleted(Stage.Validation, 1, 0, TimeSpan.Zero, 1, BatchSize, _input, _labels, _logits, null);
        _metrics = [new Accuracy(), new CrossEntropy(), new F1Score(Classes)];
    }

    /// <summary>The forward pass of the MLP on one batch, without gradients.</summary>
    /// <returns>A checksum-free marker so the call is not elided.</returns>
    [Benchmark(Baseline = true)]
    public long MlpForward()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _model.call(_input).size(1);
    }

    /// <summary>Updating the three metrics with one batch (no host transfer).</summary>
    [Benchmark]
    public void AccuracyCrossEntropyF1Update()
    {
        using var scope = NewDisposeScope();
        foreach (var metric in _metrics)
        {
            metric.Update(_batch);
        }
    }

    /// <summary>Releases the tensors and metrics.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var metric in _metrics)
        {
            metric.Dispose();
        }

        _input.Dispose();
        _logits.Dispose();
        _labels.Dispose();
        _model.Dispose();
    }
}
