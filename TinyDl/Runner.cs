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
    private IReadOnlyList<EpochSummary> _history = [];
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
        if (validator is not null && !ReferenceEquals(validator.Model, trainer.Model) && !trainer.Model.modules().Contains(validator.Model))
        {
            throw new ArgumentException("The validator must evaluate the model the trainer trains, or a module within it.", nameof(validator));
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

    /// <summary>
    /// Where and how to save checkpoints after every epoch, and where <see cref="Run(int, bool, CancellationToken)"/>
    /// resumes from. Defaults to none: nothing is saved.
    /// </summary>
    public Checkpointer? Checkpoints { get; init; }

    /// <summary>Runs epochs 1 to <paramref name="epochs"/>: train, then validate, each epoch.</summary>
    /// <param name="epochs">The number of epochs.</param>
    /// <param name="cancellationToken">Stops the run after the current batch, like <see cref="RequestStop"/>.</param>
    /// <returns>The run's end: status, final and best metric values.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The runner already ran, or the model is not on <see cref="Device"/>.</exception>
    /// <exception cref="ReporterException">A reporter failed; the run was stopped and the others flushed.</exception>
    public RunCompleted Run(int epochs, CancellationToken cancellationToken = default) => Run(epochs, resume: false, cancellationToken);

    /// <summary>
    /// Runs up to epoch <paramref name="epochs"/>, from epoch 1 or, with <paramref name="resume"/>, from the
    /// epoch after the last checkpoint of <see cref="Checkpoints"/>: model, optimizer, random state, global
    /// step, best values and the order of <see cref="TensorBatches"/> data are restored first, so on the CPU
    /// the run ends with the same weights and metrics as an uninterrupted one. <see cref="TinyDl.RunStarted"/>
    /// then carries the first epoch to run and the restored step. Without a checkpoint yet, starts at epoch 1.
    /// </summary>
    /// <param name="epochs">The last epoch to run.</param>
    /// <param name="resume">Whether to continue from <see cref="Checkpointer.LastPath"/>.</param>
    /// <param name="cancellationToken">Stops the run after the current batch, like <see cref="RequestStop"/>.</param>
    /// <returns>The run's end: status, final and best metric values (over the resumed epochs too).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The runner already ran; the model is not on <see cref="Device"/>;
    /// <paramref name="resume"/> without <see cref="Checkpoints"/>; or the checkpoint's experiment or data
    /// fingerprints differ (see <see cref="Checkpointer.AllowMismatch"/>), or it does not fit the model or optimizer.</exception>
    /// <exception cref="InvalidDataException">The last checkpoint is damaged.</exception>
    /// <exception cref="ReporterException">A reporter failed; the run was stopped and the others flushed.</exception>
    public RunCompleted Run(int epochs, bool resume, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        if (_ran)
        {
            throw new InvalidOperationException("This runner has already run; create a new Runner for another run.");
        }

        if (resume && Checkpoints is null)
        {
            throw new InvalidOperationException("Resuming needs Runner.Checkpoints: set it to the Checkpointer of the run to resume.");
        }

        _ran = true;
        CheckDevice();
        var lastEpoch = Checkpoints is null ? 0 : Resume(Checkpoints.Begin(resume, Experiment));
        var clock = new RunClock(TimeProvider);
        bool ShouldStop() => _stopRequested || cancellationToken.IsCancellationRequested;

        RunCompleted completed;
        try
        {
            Stage[] stages = Validator is null ? [Stage.Train] : [Stage.Train, Validator.Stage];
            var best = _best.ToDictionary(kv => kv.Key, kv => new MetricValues(kv.Value));
            _runStarted.OnNext(new RunStarted(Stage.Train, lastEpoch + 1, Trainer.GlobalStep, TimeSpan.Zero, Experiment, epochs, stages) { Best = best, History = _history });
            using var steps = SaveEverySteps(lastEpoch);
            var stopped = false;
            for (var epoch = lastEpoch + 1; epoch <= epochs && !stopped; epoch++)
            {
                var epochValues = new Dictionary<Stage, MetricValues>();
                stopped = !Record(Trainer.RunEpochIn(clock, epoch, ShouldStop), epochValues)
                    || (Validator is not null && !Record(Validator.RunEpochIn(clock, epoch, Trainer.GlobalStep, ShouldStop), epochValues));
                if (!stopped)
                {
                    lastEpoch = epoch;
                    Checkpoints?.SaveEpoch(State(epoch, epochValues));
                    stopped = ShouldStop() && epoch < epochs;
                }
            }

            completed = End(stopped ? RunStatus.Stopped : RunStatus.Completed, lastEpoch, clock, null) with { RestoredEpoch = Checkpoints?.RestoreBest(Trainer.Model) };
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

    private int Resume(Checkpoint? checkpoint)
    {
        if (checkpoint is null)
        {
            return 0;
        }

        checkpoint.LoadModel(Trainer.Model);
        var saved = string.Join(", ", checkpoint.OptimizerNames);
        var mine = string.Join(", ", Trainer.Optimizers.Keys);
        if (saved != mine)
        {
            throw new InvalidOperationException($"The checkpoint '{checkpoint.Path}' holds the optimizers ({saved}) but the trainer has ({mine}); resume with the same optimizers.");
        }

        foreach (var (name, optimizer) in Trainer.Optimizers)
        {
            checkpoint.LoadOptimizer(name, optimizer);
        }

        _history = checkpoint.History;
        checkpoint.RestoreRandomState();
        DataOrder.Restore(checkpoint.Header.Enumerations, Trainer, Validator);
        Trainer.GlobalStep = checkpoint.GlobalStep;
        foreach (var (stage, values) in checkpoint.Final)
        {
            _final[stage] = values;
        }

        foreach (var (stage, values) in checkpoint.Best)
        {
            _best[stage] = [.. values];
        }

        return checkpoint.Epoch;
    }

    private RunState State(int epoch, IReadOnlyDictionary<Stage, MetricValues> epochValues) =>
        new(epoch, Trainer, Validator, Experiment, epochValues, new Dictionary<Stage, MetricValues>(_final), _best.ToDictionary(kv => kv.Key, kv => new MetricValues(kv.Value)));

    private CompositeDisposable? SaveEverySteps(int resumedEpoch)
    {
        if (Checkpoints is not { EverySteps: > 0 } checkpoints)
        {
            return null;
        }

        var completedEpoch = resumedEpoch;
        var epochs = Trainer.EpochCompleted.Subscribe(e => completedEpoch = e.Epoch);
        var batches = Trainer.BatchCompleted.Subscribe(e =>
        {
            if (e.GlobalStep % checkpoints.EverySteps == 0)
            {
                checkpoints.SaveStep(State(completedEpoch, new Dictionary<Stage, MetricValues>()));
            }
        });
        return new CompositeDisposable(epochs, batches);
    }

    private bool Record(EpochCompleted? epoch, Dictionary<Stage, MetricValues> epochValues)
    {
        if (epoch is null)
        {
            return false;
        }

        epochValues[epoch.Stage] = epoch.Metrics;
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
            else if (!value.Ranked || value.IsBetterThan(best[index].Value))
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
}
