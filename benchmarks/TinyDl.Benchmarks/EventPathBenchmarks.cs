using BenchmarkDotNet.Attributes;
using TinyDl.Internal;
using static TorchSharp.torch;

namespace TinyDl.Benchmarks;

/// <summary>
/// The per-batch event path as a run takes it: a BatchCompleted record is created, raised on the
/// trainer's stream, passed on to the runner's stream and delivered to 0, 1 or 5 subscribers that
/// read a field (as a reporter counting batches does).
/// Run: <c>dotnet run -c Release --project benchmarks/TinyDl.Benchmarks -- --filter '*EventPath*'</c>.
/// </summary>
[MemoryDiagnoser]
public class EventPathBenchmarks
{
    private readonly RunHub _trainer = new();
    private readonly RunHub _runner = new();
    private readonly List<CountingObserver> _observers = [];
    private Tensor _input = null!;
    private Tensor _target = null!;
    private Tensor _output = null!;
    private Tensor _loss = null!;
    private long _step;

    /// <summary>The number of subscribers on the runner's stream.</summary>
    [Params(0, 1, 5)]
    public int Subscribers { get; set; }

    /// <summary>Creates the tensors the event carries and subscribes the observers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _input = zeros(64, 784);
        _target = zeros(64, ScalarType.Int64);
        _output = zeros(64, 10);
        _loss = zeros(1);
        _trainer.LinkTo(_runner);
        for (var i = 0; i < Subscribers; i++)
        {
            var observer = new CountingObserver();
            _observers.Add(observer);
            _runner.BatchCompleted.Subscribe(observer);
        }
    }

    /// <summary>Creates and raises one BatchCompleted.</summary>
    /// <returns>The step, so the work is not elided.</returns>
    [Benchmark]
    public long RaiseBatchCompleted()
    {
        _step++;
        _trainer.BatchCompletedSubject.OnNext(new BatchCompleted(Stage.Train, 1, _step, TimeSpan.Zero, (int)_step, 64, _input, _target, _output, _loss));
        return _step;
    }

    private sealed class CountingObserver : IObserver<BatchCompleted>
    {
        public long Seen { get; private set; }

        public void OnNext(BatchCompleted value) => Seen += value.Batch;

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
