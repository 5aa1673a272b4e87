using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>
/// The epoch loop shared by <see cref="Trainer"/> and <see cref="Validator"/>: events, metrics, the
/// dispose scope around every batch, and moving batches to the model's device.
/// </summary>
internal sealed class StageLoop : IDisposable
{
    private readonly Stage _stage;
    private readonly Metric[] _metrics;
    private readonly RunHub _hub;

    public StageLoop(Stage stage, IReadOnlyList<Metric> metrics, RunHub hub)
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
        _hub = hub;
    }

    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>Runs one epoch. Returns null when the context asked to stop before the end.</summary>
    /// <param name="data">The stage's batches.</param>
    /// <param name="epoch">The epoch, from 1.</param>
    /// <param name="device">The model's device; batches are moved there.</param>
    /// <param name="context">The run's clock, stop request and completion of the epoch's event.</param>
    /// <param name="step">Runs one batch; returns null for a batch it skipped, which is then neither counted nor published.</param>
    /// <param name="globalStep">Reads the trainer's global step.</param>
    /// <param name="maxBatches">Draw at most this many batches from the data; null for all.</param>
    public EpochCompleted? RunEpoch(
        BatchData data,
        int epoch,
        Device device,
        EpochContext context,
        Func<Batch, StepOutput?> step,
        Func<long> globalStep,
        int? maxBatches = null)
    {
        var clock = context.Clock;
        var shouldStop = context.ShouldStop;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epoch);
        foreach (var metric in _metrics)
        {
            metric.Reset();
        }

        var started = clock.Timestamp;
        var count = data.Count();
        if (maxBatches is { } max && (count is null || count > max))
        {
            count = max;
        }

        _hub.EpochStartedSubject.OnNext(new EpochStarted(_stage, epoch, globalStep(), clock.Elapsed, count));

        var drawn = 0;
        var batches = 0;
        var skipped = 0;
        long samples = 0;
        var stopped = false;
        var publishBatches = _hub.BatchCompletedSubject.HasObservers;
        using (var scope = NewDisposeScope())
        {
            // The enumerator runs inside the scope: tensors the data source creates for a batch are
            // that batch's and are freed with it; tensors made before enumeration are the caller's.
            using var batchEnumerator = data.Batches.GetEnumerator();
            while (true)
            {
                if (shouldStop())
                {
                    stopped = true;
                    break;
                }

                if (drawn == maxBatches || !batchEnumerator.MoveNext())
                {
                    break;
                }

                drawn++;
                var given = batchEnumerator.Current
                    ?? throw new InvalidOperationException($"Batch {drawn} of {_stage.ToName()} epoch {epoch} is null, is empty or has a null tensor.");
                var current = given.To(device);
                var result = step(current);
                if (result is null)
                {
                    skipped++;
                    scope.DisposeEverything();
                    continue;
                }

                batches++;
                var size = current.Size;
                samples += size;

                if (_metrics.Length > 0 || publishBatches)
                {
                    // Observers get values, not graph nodes: what a metric computes from the output builds
                    // no autograd graph. Cheaper than detaching the tensors (no new tensors per batch).
                    using var noGrad = _stage == Stage.Train ? no_grad() : null;
                    var batch = new BatchCompleted(
                        _stage, epoch, globalStep(), clock.Elapsed, batches, size, current.InputOrNull, result.Target ?? current.TargetOrNull, result.Output, result.Loss)
                    {
                        Values = result.Values,
                    };
                    foreach (var metric in _metrics)
                    {
                        metric.Update(batch);
                    }

                    _hub.BatchCompletedSubject.OnNext(batch);
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
            throw new InvalidOperationException(skipped > 0
                ? $"Every batch of {_stage.ToName()} epoch {epoch} ({skipped}) was skipped for a non-finite loss; lower the learning rate or check the data."
                : $"The {_stage.ToName()} data yielded no batches in epoch {epoch}; check the data source and the batch size.");
        }

        // An undefined value is NaN with a warning (or fails here, by the metric's choice); the others go on.
        var reports = Array.ConvertAll(_metrics, MetricReport.Of);
        var completed = context.Complete(new EpochCompleted(
            _stage, epoch, globalStep(), clock.Elapsed, new MetricValues(reports.SelectMany(r => r.Values)), clock.TimeProvider.GetElapsedTime(started), batches, samples)
        {
            SkippedBatches = skipped,
            Warnings = [.. reports.Select(r => r.Warning).OfType<string>()],
            Matrices = reports.SelectMany(r => r.Matrices).ToDictionary(StringComparer.Ordinal),
        });
        _hub.EpochCompletedSubject.OnNext(completed);
        return completed;
    }

    public void Dispose() => _hub.Complete(null);

    internal static Device DeviceOf(nn.Module model)
    {
        foreach (var parameter in model.parameters())
        {
            return parameter.device;
        }

        return CPU;
    }
}
