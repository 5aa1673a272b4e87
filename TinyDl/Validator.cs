using System.Collections;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Evaluates a model for one epoch at a time: evaluation mode and no gradients, then the mode the
/// model had before is restored. Publishes <see cref="EpochStarted"/>, <see cref="BatchCompleted"/>
/// and <see cref="EpochCompleted"/> with the values of its metrics. Inside a <see cref="Runner"/> it
/// validates after every training epoch; alone, <see cref="Run(CancellationToken)"/> evaluates once as a
/// whole run (with run events, so reporters attach to the validator as to a runner) and
/// <see cref="RunEpoch(int, long, CancellationToken)"/> evaluates once without run events.
/// </summary>
/// <remarks>Not thread-safe; events are raised synchronously on the calling thread.</remarks>
public sealed class Validator : RunEventSource, IDisposable
{
    private readonly Func<Batch, StepOutput> _step;
    private readonly BatchData _data;
    private readonly StageLoop _loop;
    private RunClock? _clock;
    private bool _ran;

    /// <summary>Creates a validator.</summary>
    /// <param name="model">The model to evaluate.</param>
    /// <param name="data">The validation batches, re-enumerated every epoch.</param>
    /// <param name="loss">The loss function, so that a loss metric can report it; null when no metric needs a loss.</param>
    /// <param name="metrics">The metrics to compute over every validation epoch.</param>
    /// <param name="stage">The stage to report as: <see cref="Stage.Validation"/> (default) or <see cref="Stage.Test"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="data"/> is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name, or <paramref name="stage"/> is <see cref="Stage.Train"/>.</exception>
    public Validator(
        nn.Module<Tensor, Tensor> model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        Func<Tensor, Tensor, Tensor>? loss = null,
        IEnumerable<Metric>? metrics = null,
        Stage stage = Stage.Validation)
        : this(model, BatchData.Of(data), StandardStep.Create(model, loss), metrics, stage)
    {
    }

    /// <summary>Creates a validator whose loss is a TorchSharp loss module.</summary>
    /// <param name="model">The model to evaluate.</param>
    /// <param name="data">The validation batches.</param>
    /// <param name="loss">The loss module.</param>
    /// <param name="metrics">The metrics to compute over every validation epoch.</param>
    /// <param name="stage">The stage to report as.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public Validator(
        nn.Module<Tensor, Tensor> model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        nn.Module<Tensor, Tensor, Tensor> loss,
        IEnumerable<Metric>? metrics = null,
        Stage stage = Stage.Validation)
        : this(model, data, (loss ?? throw new ArgumentNullException(nameof(loss))).call, metrics, stage)
    {
    }

    /// <summary>Creates a validator with a custom evaluation step over (input, target) batches, run in evaluation mode without gradients.</summary>
    /// <param name="model">The model, or the module holding what the step evaluates; switched to evaluation mode for the epoch.</param>
    /// <param name="data">The evaluation batches.</param>
    /// <param name="step">Evaluates one batch: returns what to report (output, target, loss, named values).</param>
    /// <param name="metrics">The metrics to compute over every epoch.</param>
    /// <param name="stage">The stage to report as.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name, or <paramref name="stage"/> is <see cref="Stage.Train"/>.</exception>
    public Validator(
        nn.Module model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        Func<Batch, StepOutput> step,
        IEnumerable<Metric>? metrics = null,
        Stage stage = Stage.Validation)
        : this(model, BatchData.Of(data), step, metrics, stage)
    {
    }

    /// <summary>Creates a validator with a custom evaluation step over batches of named tensors.</summary>
    /// <param name="model">The model, or the module holding what the step evaluates; switched to evaluation mode for the epoch.</param>
    /// <param name="data">The evaluation batches as dictionaries of named tensors.</param>
    /// <param name="step">Evaluates one batch: returns what to report.</param>
    /// <param name="metrics">The metrics to compute over every epoch.</param>
    /// <param name="stage">The stage to report as.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name, or <paramref name="stage"/> is <see cref="Stage.Train"/>.</exception>
    public Validator(
        nn.Module model,
        IEnumerable<IReadOnlyDictionary<string, Tensor>> data,
        Func<Batch, StepOutput> step,
        IEnumerable<Metric>? metrics = null,
        Stage stage = Stage.Validation)
        : this(model, BatchData.Of(data), step, metrics, stage)
    {
    }

    private Validator(nn.Module model, BatchData data, Func<Batch, StepOutput> step, IEnumerable<Metric>? metrics, Stage stage)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(step);
        if (stage == Stage.Train)
        {
            throw new ArgumentException("A validator evaluates; use Stage.Validation or Stage.Test.", nameof(stage));
        }

        Model = model;
        _data = data;
        _step = step;
        Stage = stage;
        _loop = new StageLoop(stage, [.. metrics ?? []], Hub);
    }

    /// <summary>The model being evaluated.</summary>
    public nn.Module Model { get; }

    /// <summary>The evaluation batches as given.</summary>
    public IEnumerable Data => (IEnumerable)_data.Source;

    /// <summary>Evaluate at most this many batches per epoch, for quick smoke runs; null, the default, for all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int? MaxBatches
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            field = value;
        }
    }

    /// <summary>The stage this validator reports as.</summary>
    public Stage Stage { get; }

    /// <summary>The metrics computed over every epoch, in the order reported.</summary>
    public IReadOnlyList<Metric> Metrics => _loop.Metrics;

    /// <summary>The clock that times events. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Evaluates the model once as a whole run of one epoch: <see cref="TinyDl.RunStarted"/>, the epoch,
    /// <see cref="TinyDl.EpochEnded"/> and <see cref="TinyDl.RunCompleted"/> on this validator's streams, so
    /// reporters attached to it write the evaluation (a test set's CSV row, TensorBoard values). A validator
    /// runs once this way, and not once it took part in a <see cref="Runner"/>'s run.
    /// </summary>
    /// <param name="cancellationToken">Stops after the current batch.</param>
    /// <returns>The run's end; <see cref="RunCompleted.Final"/> holds the values.</returns>
    /// <exception cref="InvalidOperationException">The validator already ran, or its data yielded no batches.</exception>
    public RunCompleted Run(CancellationToken cancellationToken = default)
    {
        StartRun();
        var loop = new RunLoop([Hub], TimeProvider, cancellationToken);
        return loop.Execute(new RunPlan(null, 1, [Stage], () => (RunPosition.Start, null), (epoch, context) => RunEpochIn(context, epoch, 0) is { } e ? [e] : null, () => 0));
    }

    /// <summary>Evaluates the model once over <see cref="Data"/>, raising epoch and batch events but no run events.</summary>
    /// <param name="epoch">The epoch to report, counted from 1 (the trainer's epoch when validating during training).</param>
    /// <param name="globalStep">The trainer's global step, so validation values share its axis.</param>
    /// <param name="cancellationToken">Stops after the current batch; the method then returns null.</param>
    /// <returns>The completed epoch with its metric values, or null when cancelled before the end.</returns>
    /// <exception cref="InvalidOperationException">The data yielded no batches, or a metric saw no samples.</exception>
    public EpochCompleted? RunEpoch(int epoch = 1, long globalStep = 0, CancellationToken cancellationToken = default) =>
        RunEpochIn(EpochContext.Alone(_clock ??= new RunClock(TimeProvider), cancellationToken), epoch, globalStep);

    /// <summary>Completes the validator's event streams.</summary>
    public void Dispose() => _loop.Dispose();

    internal void StartRun()
    {
        if (_ran)
        {
            throw new InvalidOperationException("This validator has already taken part in a run; evaluate again with RunEpoch, or create a new Validator.");
        }

        _ran = true;
    }

    internal EpochCompleted? RunEpochIn(EpochContext context, int epoch, long globalStep)
    {
        _clock = context.Clock;
        var wasTraining = Model.training;
        Model.eval();
        try
        {
            using var noGrad = no_grad();
            var device = StageLoop.DeviceOf(Model);
            return _loop.RunEpoch(_data, epoch, device, context, batch => _step(batch) ?? throw NoOutput(epoch), () => globalStep, MaxBatches);
        }
        finally
        {
            Model.train(wasTraining);
        }
    }

    private InvalidOperationException NoOutput(int epoch) => new($"The {Stage.ToName()} step returned null in epoch {epoch}; return a StepOutput.");
}
