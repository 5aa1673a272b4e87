using BenchmarkDotNet.Attributes;
using TinyDl.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Benchmarks;

/// <summary>
/// The per-batch metric work of the parity benchmark's tiny workload (batch 32, 10 classes): TinyDl's
/// Loss + Accuracy updates against the same accumulation written by hand.
/// Run: <c>dotnet run -c Release --project benchmarks/TinyDl.Benchmarks -- --filter '*BatchOverhead*'</c>.
/// </summary>
[MemoryDiagnoser]
public class BatchOverheadBenchmarks
{
    private Tensor _output = null!;
    private Tensor _target = null!;
    private Tensor _loss = null!;
    private Tensor _lossSum = null!;
    private Tensor _correct = null!;
    private BatchCompleted _batch = null!;
    private Metric[] _metrics = [];

    /// <summary>Creates one batch's tensors and the accumulators.</summary>
    [GlobalSetup]
    public void Setup()
    {
        set_num_threads(1);
        _output = randn(32, 10);
        _target = randint(0, 10, 32, ScalarType.Int64);
        _loss = nn.functional.cross_entropy(_output, _target);
        _lossSum = zeros(1, ScalarType.Float64);
        _correct = zeros(1, ScalarType.Float64);
        _batch = new BatchCompleted(Stage.Train, 1, 1, TimeSpan.Zero, 1, 32, _output, _target, _output, _loss);
        _metrics = [new Loss(), new Accuracy()];
    }

    /// <summary>What the hand-written loop does per batch.</summary>
    [Benchmark(Baseline = true)]
    public void HandWritten()
    {
        using var scope = NewDisposeScope();
        _lossSum.add_(_loss.detach().to_type(ScalarType.Float64), 32);
        _correct.add_(_output.argmax(1).eq(_target).sum().to_type(ScalarType.Float64));
    }

    /// <summary>TinyDl's Loss and Accuracy updates.</summary>
    [Benchmark]
    public void TinyDlMetrics()
    {
        using var scope = NewDisposeScope();
        foreach (var metric in _metrics)
        {
            metric.Update(_batch);
        }
    }
}
