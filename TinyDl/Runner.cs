using System.Reactive.Disposables;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Runs epochs of training, each followed by validation, and publishes the whole run's events:
/// <see cref="RunStarted"/>, every stage's epoch and batch events, and <see cref="RunCompleted"/>.
/// Every stream completes when the run ends; when it fails, <see cref="RunCompleted"/> is raised with
/// <see cref="RunStatus.Failed"/> (so reporters flush), the streams end with OnError and the exception
/// is rethrown.
/// </summary>
/// <remarks>Not thread-safe, except <see cref="RequestStop"/>. A runner runs once.</remarks>
public sealed class Runner : IRunEvents, IDisposable
{
    private readonly EventSubject<RunStarted> _runStarted = new();
    private readonly EventSubject<EpochStarted> _epochStarted = new();
    private readonly EventSubject<BatchCompleted> _batchCompleted = new();
    private readonly EventSubject<EpochCompleted> _epochCompleted = new();
    private readonly EventSubject<RunCompleted> _runCompleted = new();
    private readonly CompositeDisposable _forwarding;
    private readonly Dictionary<Stage, MetricValues> _final = [];
    private readonly Dictionary<Stage, List<MetricValue>> _best = [];
    private volatile bool _stopRequested;
    private bool _ran;

    /// <summary>Creates a runner.</summary>
    /// <param name="trainer">Trains each epoch.</param>
    /// <param name="validator">Validates after each training epoch; null to train only.</param>
    /// <exception cref="ArgumentNullException"><paramref name="trainer"/> is null.</exception>
    /// <exception cref="ArgumentException">The validator evaluates another model than the trainer trains.</exception>
    public Runner(Trainer trainer, Validator? validator = null)
    {
        ArgumentNullException.ThrowIfNull(trainer);
        if (validator is not null && !ReferenceEquals(validator.Model, trainer.Model))
        {
            throw new ArgumentException("The validator must evaluate the model the trainer trains.", nameof(validator));
        }

        Trainer = trainer;
        Validator = validator;
        _forwarding = [Forward(trainer.EpochStarted, _epochStarted), Forward(trainer.BatchCompleted, _batchCompleted), Forward(trainer.EpochCompleted, _epochCompleted)];
        if (validator is not null)
        {
            _forwarding.Add(Forward(validator.EpochStarted, _epochStarted));
            _forwarding.Add(Forward(validator.BatchCompleted, _batchCompleted));
            _forwarding.Add(Forward(validator.EpochCompleted, _epochCompleted));
        }
    }

    /// <summary>The device to use when none is given: the first CUDA device when available, else the CPU.</summary>
    public static Device DefaultDevice => cuda.is_available() ? CUDA : CPU;

    /// <summary>The trainer.</summary>
    public Trainer Trainer { get; }

    /// <summary>The validator, if any.</summary>
    public Validator? Validator { get; }

    /// <summary>The experiment being run, reported in <see cref="TinyDl.RunStarted"/>. Defaults to none.</summary>
    public Experiment? Experiment { get; init; }

    /// <summary>
    /// The device the run must use, checked against the model's parameters when the run starts.
    /// Defaults to the model's own device. Move the model with <c>model.to(device)</c> <b>before</b>
    /// creating its optimizer: a TorchSharp optimizer keeps the parameter tensors it was given.
    /// </summary>
    public Device? Device { get; init; }

    /// <summary>The clock that times events. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Whether a stop was requested (by <see cref="RequestStop"/>).</summary>
    public bool StopRequested => _stopRequested;

    /// <inheritdoc />
    public IObservable<RunStarted> RunStarted => _runStarted;

    /// <inheritdoc />
    public IObservable<EpochStarted> EpochStarted => _epochStarted;

    /// <inheritdoc />
    public IObservable<BatchCompleted> BatchCompleted => _batchCompleted;

    /// <inheritdoc />
    public IObservable<EpochCompleted> EpochCompleted => _epochCompleted;

    /// <inheritdoc />
    public IObservable<RunCompleted> RunCompleted => _runCompleted;

    /// <summary>
    /// Asks the run to stop after the current batch. Safe to call from any thread and from observers
    /// (early stopping calls it from an EpochCompleted observer). An epoch cut short raises no
    /// EpochCompleted; the run ends with <see cref="RunStatus.Stopped"/>.
    /// </summary>
    public void RequestStop() => _stopRequested = true;

    /// <summary>Runs epochs 1 to <paramref name="epochs"/>: train, then validate, each epoch.</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <param name="cancellationToken">Stops the run after the current batch, like <see cref="RequestStop"/>.</param>
    /// <returns>The run's end: status, final and best metric values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The runner already ran, or the model is not on <see cref="Device"/>.</exception>
    /// <exception cref="ReporterException">A reporter failed; the run was stopped and the others flushed.</exception>
    public RunCompleted Run(int epochs, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        if (_ran)
        {
            throw new InvalidOperationException("This runner has already run; create a new Runner for another run.");
        }

        _ran = true;
        CheckDevice();
        var clock = new RunClock(TimeProvider);
        var lastEpoch = 0;
        bool ShouldStop() => _stopRequested || cancellationToken.IsCancellationRequested;

        RunCompleted completed;
        try
        {
            Stage[] stages = Validator is null ? [Stage.Train] : [Stage.Train, Validator.Stage];
            _runStarted.OnNext(new RunStarted(Stage.Train, 1, Trainer.GlobalStep, TimeSpan.Zero, Experiment, epochs, stages));
            var stopped = false;
            for (var epoch = 1; epoch <= epochs && !stopped; epoch++)
            {
                stopped = !Record(Trainer.RunEpochIn(clock, epoch, ShouldStop))
                    || (Validator is not null && !Record(Validator.RunEpochIn(clock, epoch, Trainer.GlobalStep, ShouldStop)));
                if (!stopped)
                {
                    lastEpoch = epoch;
                    stopped = ShouldStop() && epoch < epochs;
                }
            }

            completed = End(stopped ? RunStatus.Stopped : RunStatus.Completed, lastEpoch, clock, null);
        }
        catch (Exception error)
        {
            End(RunStatus.Failed, lastEpoch, clock, error);
            CompleteStreams(error);
            throw;
        }

        var endErrors = _runCompleted.OnNextToAll(completed);
        if (endErrors.Count > 0)
        {
            var error = endErrors.Count == 1 ? endErrors[0] : new AggregateException("Several reporters failed at the end of the run.", endErrors);
            CompleteStreams(error);
            throw error is ReporterException ? error : new ReporterException(error.Message, error);
        }

        CompleteStreams(null);
        return completed;
    }

    /// <summary>Detaches from the trainer and validator and completes any stream still open.</summary>
    public void Dispose()
    {
        _forwarding.Dispose();
        CompleteStreams(null);
    }

    private static IDisposable Forward<T>(IObservable<T> source, EventSubject<T> target) =>
        source.Subscribe(new ForwardingObserver<T>(target));

    private void CheckDevice()
    {
        if (Device is null)
        {
            return;
        }

        var actual = StageLoop.DeviceOf(Trainer.Model);
        if (actual.type != Device.type || (Device.index >= 0 && actual.index != Device.index))
        {
            throw new InvalidOperationException(
                $"The model is on {actual} but the runner was asked to use {Device}. Call model.to(device) before creating the optimizer, then create the Trainer.");
        }
    }

    private bool Record(EpochCompleted? epoch)
    {
        if (epoch is null)
        {
            return false;
        }

        _final[epoch.Stage] = epoch.Metrics;
        if (!_best.TryGetValue(epoch.Stage, out var best))
        {
            _best[epoch.Stage] = [.. epoch.Metrics];
            return true;
        }

        foreach (var value in epoch.Metrics)
        {
            var index = best.FindIndex(b => b.Name == value.Name);
            if (index < 0)
            {
                best.Add(value);
            }
            else if (value.IsBetterThan(best[index].Value))
            {
                best[index] = value;
            }
        }

        return true;
    }

    private RunCompleted End(RunStatus status, int lastEpoch, RunClock clock, Exception? error)
    {
        var best = _best.ToDictionary(kv => kv.Key, kv => new MetricValues(kv.Value));
        var completed = new RunCompleted(Stage.Train, lastEpoch, Trainer.GlobalStep, clock.Elapsed, status, new Dictionary<Stage, MetricValues>(_final), best, error);
        if (error is not null)
        {
            // Every reporter gets the chance to flush; what they throw now cannot hide the run's own error.
            _runCompleted.OnNextToAll(completed);
        }

        return completed;
    }

    private void CompleteStreams(Exception? error)
    {
        if (error is null)
        {
            _runStarted.OnCompleted();
            _epochStarted.OnCompleted();
            _batchCompleted.OnCompleted();
            _epochCompleted.OnCompleted();
            _runCompleted.OnCompleted();
        }
        else
        {
            _runStarted.OnError(error);
            _epochStarted.OnError(error);
            _batchCompleted.OnError(error);
            _epochCompleted.OnError(error);
            _runCompleted.OnError(error);
        }
    }

    private sealed class ForwardingObserver<T>(EventSubject<T> target) : IObserver<T>
    {
        public void OnNext(T value) => target.OnNext(value);

        // The trainer's and validator's own streams end when they are disposed; the run's streams
        // end with the run.
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
