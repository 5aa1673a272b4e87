using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>What one batch produced: the model's output and the batch's mean loss, if computed.</summary>
internal readonly record struct StepResult(Tensor Output, Tensor? Loss);

/// <summary>
/// The epoch loop shared by <see cref="Trainer"/> and <see cref="Validator"/>: events, metrics, the
/// dispose scope around every batch, and moving batches to the model's device.
/// </summary>
internal sealed class StageLoop : IDisposable
{
    private readonly Stage _stage;
    private readonly Metric[] _metrics;
    private readonly EventSubject<EpochStarted> _epochStarted = new();
    private readonly EventSubject<BatchCompleted> _batchCompleted = new();
    private readonly EventSubject<EpochCompleted> _epochCompleted = new();

    public StageLoop(Stage stage, IReadOnlyList<Metric> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Any(m => m is null))
        {
            throw new ArgumentException($"The {stage.ToName()} metrics contain null.", nameof(metrics));
        }

        var duplicate = metrics.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two {stage.ToName()} metrics are named '{duplicate.Key}'; give one another name.", nameof(metrics));
        }

        if (metrics.Distinct().Count() != metrics.Count)
        {
            throw new ArgumentException($"The same metric instance is attached to the {stage.ToName()} stage twice.", nameof(metrics));
        }

        _stage = stage;
        _metrics = [.. metrics];
    }

    public IReadOnlyList<Metric> Metrics => _metrics;

    public IObservable<EpochStarted> EpochStarted => _epochStarted;

    public IObservable<BatchCompleted> BatchCompleted => _batchCompleted;

    public IObservable<EpochCompleted> EpochCompleted => _epochCompleted;

    /// <summary>Runs one epoch. Returns null when <paramref name="shouldStop"/> ended it early.</summary>
    public EpochCompleted? RunEpoch(
        IEnumerable<(Tensor Input, Tensor Target)> data,
        int epoch,
        Device device,
        RunClock clock,
        Func<Tensor, Tensor, StepResult> step,
        Func<long> globalStep,
        Func<bool> shouldStop)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        foreach (var metric in _metrics)
        {
            metric.Reset();
        }

        var started = clock.Timestamp;
        _epochStarted.OnNext(new EpochStarted(_stage, epoch, globalStep(), clock.Elapsed, CountOf(data)));

        var batches = 0;
        long samples = 0;
        var stopped = false;
        var publishBatches = _batchCompleted.HasObservers;
        using (var scope = NewDisposeScope())
        {
            // The enumerator runs inside the scope: tensors the data source creates for a batch are
            // that batch's and are freed with it; tensors made before enumeration are the caller's.
            using var batchEnumerator = data.GetEnumerator();
            while (true)
            {
                if (shouldStop())
                {
                    stopped = true;
                    break;
                }

                if (!batchEnumerator.MoveNext())
                {
                    break;
                }

                var (input, target) = batchEnumerator.Current;
                if (input is null || target is null)
                {
                    throw new InvalidOperationException($"Batch {batches + 1} of {_stage.ToName()} epoch {epoch} has a null input or target.");
                }

                input = ToDevice(input, device);
                target = ToDevice(target, device);
                var result = step(input, target);
                batches++;
                var size = input.Dimensions == 0 ? 1 : input.size(0);
                samples += size;

                if (_metrics.Length > 0 || publishBatches)
                {
                    var batch = new BatchCompleted(_stage, epoch, globalStep(), clock.Elapsed, batches, size, input, target, result.Output, result.Loss);
                    foreach (var metric in _metrics)
                    {
                        metric.Update(batch);
                    }

                    _batchCompleted.OnNext(batch);
                }

                scope.DisposeEverything();
            }
        }

        if (stopped)
        {
            return null;
        }

        if (batches == 0)
        {
            throw new InvalidOperationException($"The {_stage.ToName()} data yielded no batches in epoch {epoch}; check the data source and the batch size.");
        }

        var values = new List<MetricValue>(_metrics.Length);
        foreach (var metric in _metrics)
        {
            values.AddRange(metric.ComputeValues());
        }

        var completed = new EpochCompleted(
            _stage, epoch, globalStep(), clock.Elapsed, new MetricValues(values), clock.TimeProvider.GetElapsedTime(started), batches, samples);
        _epochCompleted.OnNext(completed);
        return completed;
    }

    public void Dispose()
    {
        _epochStarted.OnCompleted();
        _batchCompleted.OnCompleted();
        _epochCompleted.OnCompleted();
    }

    internal static Device DeviceOf(nn.Module model)
    {
        foreach (var parameter in model.parameters())
        {
            return parameter.device;
        }

        return CPU;
    }

    private static int? CountOf<T>(IEnumerable<T> data) => data switch
    {
        IReadOnlyCollection<T> collection => collection.Count,
        _ when data.TryGetNonEnumeratedCount(out var count) => count,
        _ => null,
    };

    private static Tensor ToDevice(Tensor tensor, Device device) =>
        tensor.device_type == device.type && (device.index < 0 || tensor.device_index == device.index)
            ? tensor
            : tensor.to(device);
}
