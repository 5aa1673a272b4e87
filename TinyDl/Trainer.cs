using System.Collections;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Trains a model for one epoch at a time: train mode, then for every batch the step (by default
/// forward and loss), backward and the optimizers' step, each batch inside a dispose scope. Publishes
/// <see cref="EpochStarted"/>, <see cref="BatchCompleted"/> (once per batch) and <see cref="EpochCompleted"/>
/// with the values of its metrics. Works inside a <see cref="Runner"/> or alone: <see cref="Run(int, ResumePoint?, CancellationToken)"/>
/// runs epochs of training as a whole run (with run events, so reporters, controls and checkpoints attach to
/// the trainer as they would to a runner), <see cref="RunEpoch(int, CancellationToken)"/> one bare epoch. A custom step (<see cref="Trainer(nn.Module, IEnumerable{ValueTuple{Tensor, Tensor}}, Optimizers, Func{Batch, StepOutput}, IEnumerable{Metric}?)"/>)
/// replaces forward and loss, or with <see cref="ManualOptimization"/> the whole update.
/// </summary>
/// <remarks>Not thread-safe; events are raised synchronously on the calling thread.</remarks>
public sealed partial class Trainer : RunEventSource, IRunState, IDisposable
{
    private readonly Func<Batch, StepOutput> _step;
    private readonly optim.Optimizer[] _optimizers;
    private readonly BatchData _data;
    private readonly StageLoop _loop;
    private RunClock? _clock;
    private bool _ran;
    private int _accumulated;
    private int _epoch;
    private int _batch;

    /// <summary>Creates a trainer whose loss is a TorchSharp loss module, such as <c>nn.CrossEntropyLoss()</c>.</summary>
    /// <param name="model">The model to train; a module from input to output.</param>
    /// <param name="data">The training batches, re-enumerated every epoch: a list, a <see cref="TensorBatches"/>, or any enumerable of (input, target).</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="loss">The loss module; its output is the batch's mean loss.</param>
    /// <param name="metrics">The metrics to compute over every training epoch, such as <c>new Loss()</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        optim.Optimizer optimizer,
        nn.Module<Tensor, Tensor, Tensor> loss,
        IEnumerable<Metric>? metrics = null)
        : this(model, data, optimizer, (loss ?? throw new ArgumentNullException(nameof(loss))).call, metrics)
    {
    }

    /// <summary>Creates a trainer whose loss is a function of (output, target), such as <c>(o, t) =&gt; functional.mse_loss(o, t)</c>.</summary>
    /// <param name="model">The model to train; a module from input to output.</param>
    /// <param name="data">The training batches, re-enumerated every epoch.</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="loss">Computes the batch's mean loss from the output and the target.</param>
    /// <param name="metrics">The metrics to compute over every training epoch.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        optim.Optimizer optimizer,
        Func<Tensor, Tensor, Tensor> loss,
        IEnumerable<Metric>? metrics = null)
        : this(model, BatchData.Of(data), optimizer ?? throw new ArgumentNullException(nameof(optimizer)), StandardStep.Create(model, loss ?? throw new ArgumentNullException(nameof(loss))), metrics)
    {
    }

    /// <summary>
    /// Creates a trainer with a custom step over (input, target) batches: the step gets each batch as a
    /// <see cref="Batch"/> (<c>batch.Input</c>, <c>batch.Target</c>) and returns what to report. Unless
    /// <see cref="ManualOptimization"/> is set, the trainer then calls backward on the returned loss and
    /// steps every optimizer.
    /// </summary>
    /// <param name="model">The model, or a module holding every trained module; it is switched to train mode, and checkpointed.</param>
    /// <param name="data">The training batches, re-enumerated every epoch.</param>
    /// <param name="optimizers">The optimizer, or named optimizers (<see cref="Optimizers"/>); <see cref="Optimizers.None"/> when the step updates the parameters itself.</param>
    /// <param name="step">Computes one batch: returns its loss and whatever else to report.</param>
    /// <param name="metrics">The metrics to compute over every training epoch.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public Trainer(
        nn.Module model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        Optimizers optimizers,
        Func<Batch, StepOutput> step,
        IEnumerable<Metric>? metrics = null)
        : this(model, BatchData.Of(data), optimizers, step, metrics)
    {
    }

    /// <summary>
    /// Creates a trainer with a custom step over batches of named tensors, such as
    /// <c>{"x": ..., "labels": ..., "mask": ...}</c>; <see cref="Batch.Forward(nn.Module)"/> matches them to the
    /// model's forward parameters by name.
    /// </summary>
    /// <param name="model">The model, or a module holding every trained module; it is switched to train mode, and checkpointed.</param>
    /// <param name="data">The training batches as dictionaries of named tensors, re-enumerated every epoch.</param>
    /// <param name="optimizers">The optimizer, or named optimizers; <see cref="Optimizers.None"/> when the step updates the parameters itself.</param>
    /// <param name="step">Computes one batch: returns its loss and whatever else to report.</param>
    /// <param name="metrics">The metrics to compute over every training epoch.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public Trainer(
        nn.Module model,
        IEnumerable<IReadOnlyDictionary<string, Tensor>> data,
        Optimizers optimizers,
        Func<Batch, StepOutput> step,
        IEnumerable<Metric>? metrics = null)
        : this(model, BatchData.Of(data), optimizers, step, metrics)
    {
    }

    private Trainer(nn.Module model, BatchData data, Optimizers optimizers, Func<Batch, StepOutput> step, IEnumerable<Metric>? metrics)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizers);
        ArgumentNullException.ThrowIfNull(step);
        Model = model;
        _data = data;
        Optimizers = optimizers.Copy();
        _optimizers = [.. Optimizers.Values];
        _step = step;
        _loop = new StageLoop(Stage.Train, [.. metrics ?? []], Hub);
    }

    /// <summary>The model being trained (for a custom step, the module given: it is put in train mode and checkpointed).</summary>
    public nn.Module Model { get; }

    /// <summary>The training batches as given: (input, target) pairs, such as a <see cref="TensorBatches"/>, or dictionaries of named tensors.</summary>
    public IEnumerable Data => (IEnumerable)_data.Source;

    /// <summary>The optimizers by name, in the order given; one optimizer is named <see cref="Optimizers.DefaultName"/>.</summary>
    public Optimizers Optimizers { get; }

    /// <summary>The trainer's only optimizer.</summary>
    /// <exception cref="InvalidOperationException">The trainer has several optimizers, or none.</exception>
    public optim.Optimizer Optimizer => Optimizers.Count == 1
        ? Optimizers.Values.First()
        : throw new InvalidOperationException(Optimizers.Count == 0
            ? "This trainer has no optimizer."
            : $"This trainer has {Optimizers.Count} optimizers ({string.Join(", ", Optimizers.Keys)}); use Optimizers[name].");

    /// <summary>The metrics computed over every training epoch, in the order reported.</summary>
    public IReadOnlyList<Metric> Metrics => _loop.Metrics;

    /// <summary>The number of batches trained so far; 0 before the first. Skipped batches do not count. A resumed run sets it back.</summary>
    public long GlobalStep { get; internal set; }

    /// <summary>The clock that times events. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <inheritdoc />
    IReadOnlyDictionary<Stage, IReplayableData> IRunState.ReplayableData =>
        Data is IReplayableData replayable ? new Dictionary<Stage, IReplayableData> { [Stage.Train] = replayable } : new Dictionary<Stage, IReplayableData>();

    /// <summary>
    /// Trains epochs 1 to <paramref name="epochs"/> as one run, or, from <paramref name="resumeFrom"/>, the
    /// epochs after the saved one; raises the run's events on this trainer, so participants attached to it
    /// (reporters, early stopping, a <see cref="Checkpointer"/>) take part as in a <see cref="Runner"/>
    /// without validation. A trainer runs once.
    /// </summary>
    /// <param name="epochs">The last epoch to train.</param>
    /// <param name="resumeFrom">The saved run to continue, such as <c>checkpointer.ResumePoint(ResumeMode.IfAvailable)</c>; null, the default, to start at epoch 1.</param>
    /// <param name="cancellationToken">Stops the run after the current batch.</param>
    /// <returns>The run's end.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The trainer already ran.</exception>
    public RunCompleted Run(int epochs, ResumePoint? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        StartRun();
        var loop = new RunLoop([Hub], TimeProvider, cancellationToken);
        return loop.Execute(new RunPlan(null, epochs, [Stage.Train], () => Restore(this, resumeFrom, null), (epoch, context) => RunEpochIn(context, epoch) is { } e ? [e] : null, () => GlobalStep));
    }

    /// <summary>Trains one bare epoch over <see cref="Data"/>: epoch and batch events, no run events.</summary>
    /// <param name="epoch">The epoch's number, counted from 1.</param>
    /// <param name="cancellationToken">Stops the epoch after the current batch; the method then returns null.</param>
    /// <returns>The completed epoch with its metric values, or null when cancelled before the end.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The data yielded no batches, a metric saw no samples, or the options contradict each other.</exception>
    /// <exception cref="NonFiniteValueException">A loss was not finite and <see cref="NonFiniteLoss"/> is <see cref="NonFiniteLoss.Fail"/>.</exception>
    public EpochCompleted? RunEpoch(int epoch, CancellationToken cancellationToken = default) =>
        RunEpochIn(EpochContext.Alone(_clock ??= new RunClock(TimeProvider), cancellationToken), epoch);

    /// <summary>Completes the trainer's event streams.</summary>
    public void Dispose() => _loop.Dispose();

    /// <summary>Restores <paramref name="run"/> from <paramref name="from"/> (or starts it afresh) and sets the trainer's step.</summary>
    internal static (RunPosition Position, string? From) Restore(IRunState run, ResumePoint? from, Experiment? experiment)
    {
        var position = from?.Restore(run, experiment) ?? RunPosition.Start;
        if (run.GlobalStep != position.GlobalStep)
        {
            Of(run).GlobalStep = position.GlobalStep;
        }

        return (position, from?.Description);
    }

    internal void StartRun()
    {
        if (_ran)
        {
            throw new InvalidOperationException("This trainer has already taken part in a run; create a new Trainer for another run.");
        }

        _ran = true;
    }

    internal EpochCompleted? RunEpochIn(EpochContext context, int epoch)
    {
        CheckOptions();
        _clock = context.Clock;
        _accumulated = 0;
        _epoch = epoch;
        _batch = 0;
        Model.train();
        var device = StageLoop.DeviceOf(Model);
        var completed = _loop.RunEpoch(_data, epoch, device, context, Step, () => GlobalStep, MaxBatches);
        if (completed is not null && _accumulated > 0)
        {
            ApplyStep();
        }

        return completed;
    }

    private static Trainer Of(IRunState run) => run switch
    {
        Trainer trainer => trainer,
        Runner runner => runner.Trainer,
        _ => throw new ArgumentException($"Cannot set the global step of a {run.GetType().Name}.", nameof(run)),
    };
}
