using System.Reactive.Disposables;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Runs epochs of training, each followed by validation, and publishes the whole run's events:
/// <see cref="RunStarted"/>, every stage's epoch and batch events, <see cref="EpochEnded"/> after each
/// epoch, and <see cref="RunCompleted"/>. Every stream completes when the run ends; when it fails,
/// <see cref="RunCompleted"/> is raised with <see cref="RunStatus.Failed"/> (so participants flush), the
/// streams end with OnError and the exception is rethrown. Participants (reporters, controls, the
/// <see cref="Checkpointer"/>) attach to it, or to its trainer and validator, through
/// <see cref="IRunParticipant.AttachTo"/>; the runner knows none of them.
/// </summary>
/// <remarks>Not thread-safe, except <see cref="RunEventSource.RequestStop"/>. A runner runs once.</remarks>
public sealed class Runner : RunEventSource, IRunState, IDisposable
{
    private readonly CompositeDisposable _links;
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
        _links = [trainer.Hub.LinkTo(Hub)];
        if (validator is not null)
        {
            _links.Add(validator.Hub.LinkTo(Hub));
        }
    }

    /// <summary>The trainer.</summary>
    public Trainer Trainer { get; }

    /// <summary>The validator, if any.</summary>
    public Validator? Validator { get; }

    /// <summary>
    /// The held-out data to evaluate once, when the epochs are over (the run completed, or a participant
    /// such as early stopping stopped it; not when it was cancelled or failed), with the weights the model
    /// has then: a <see cref="Checkpointer"/> with <see cref="Checkpointer.RestoreBestWeights"/> loads the best
    /// epoch's first. Its stage must be <see cref="Stage.Test"/>; its events come after the last
    /// <see cref="TinyDl.EpochEnded"/>, carry the last epoch, and its values are in <see cref="RunCompleted.Final"/>.
    /// Never seen before then. Defaults to none.
    /// </summary>
    /// <exception cref="ArgumentException">The validator's stage is not <see cref="Stage.Test"/>, or it evaluates another model.</exception>
    public Validator? Test
    {
        get;
        init
        {
            if (value is not null)
            {
                if (value.Stage != Stage.Test)
                {
                    throw new ArgumentException("The test validator's stage must be Stage.Test (new Validator(..., stage: Stage.Test)).", nameof(value));
                }

                if (!ReferenceEquals(value.Model, Trainer.Model) && !Trainer.Model.modules().Contains(value.Model))
                {
                    throw new ArgumentException("The test validator must evaluate the model the trainer trains, or a module within it.", nameof(value));
                }

                _links.Add(value.Hub.LinkTo(Hub));
            }

            field = value;
        }
    }

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

    /// <inheritdoc />
    nn.Module IRunState.Model => Trainer.Model;

    /// <inheritdoc />
    Optimizers IRunState.Optimizers => Trainer.Optimizers;

    /// <inheritdoc />
    long IRunState.GlobalStep => Trainer.GlobalStep;

    /// <inheritdoc />
    IReadOnlyDictionary<Stage, IReplayableData> IRunState.ReplayableData
    {
        get
        {
            var data = new Dictionary<Stage, IReplayableData>();
            if (Trainer.Data is IReplayableData train)
            {
                data[Stage.Train] = train;
            }

            if (Validator?.Data is IReplayableData evaluation && !ReferenceEquals(evaluation, Trainer.Data))
            {
                data[Validator.Stage] = evaluation;
            }

            return data;
        }
    }

    /// <summary>
    /// Runs epochs 1 to <paramref name="epochs"/> (train, then validate, each epoch), or, given
    /// <paramref name="resumeFrom"/>, the epochs after the saved one: the resume point first restores the
    /// model, optimizers, random state, global step, data order and the participants' states, so on the CPU
    /// the run ends with the same weights and metrics as an uninterrupted one. <see cref="TinyDl.RunStarted"/>
    /// then carries the first epoch to run, the restored step and the history of the epochs done.
    /// </summary>
    /// <param name="epochs">The last epoch to run.</param>
    /// <param name="resumeFrom">The saved run to continue, such as <c>checkpointer.ResumePoint(ResumeMode.IfAvailable)</c>; null, the default, to start at epoch 1.</param>
    /// <param name="cancellationToken">Stops the run after the current batch, like <see cref="RunEventSource.RequestStop"/>.</param>
    /// <returns>The run's end: status, final and best metric values (over the resumed epochs too).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epochs"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The runner already ran, or the model is not on <see cref="Device"/>.</exception>
    /// <exception cref="CheckpointException">The resume point cannot be restored (damaged, another experiment or data, another model).</exception>
    /// <exception cref="NonFiniteValueException">A training loss or a monitored metric became NaN or infinite.</exception>
    /// <exception cref="ReporterException">A participant failed; the run was stopped and the others flushed.</exception>
    public RunCompleted Run(int epochs, ResumePoint? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        if (_ran)
        {
            throw new InvalidOperationException("This runner has already run; create a new Runner for another run.");
        }

        _ran = true;
        CheckDevice();
        Trainer.StartRun();
        Validator?.StartRun();
        Test?.StartRun();
        Stage[] stages = Validator is null ? [Stage.Train] : [Stage.Train, Validator.Stage];
        RunHub[] hubs = [Hub, Trainer.Hub, .. new[] { Validator, Test }.OfType<Validator>().Select(v => v.Hub)];
        var loop = new RunLoop(hubs, TimeProvider, cancellationToken);
        var plan = new RunPlan(Experiment, epochs, stages, () => Trainer.Restore(this, resumeFrom, Experiment), RunEpoch, () => Trainer.GlobalStep);
        if (Test is { } test)
        {
            plan = plan with { EndStages = [Stage.Test], End = (epoch, context) => test.RunEpochIn(context, epoch, Trainer.GlobalStep) is { } e ? [e] : null };
        }

        return loop.Execute(plan);
    }

    /// <summary>Detaches from the trainer and validator and completes any stream still open.</summary>
    public void Dispose()
    {
        _links.Dispose();
        Hub.Complete(null);
    }

    private IReadOnlyList<EpochCompleted>? RunEpoch(int epoch, EpochContext context)
    {
        if (Trainer.RunEpochIn(context, epoch) is not { } train)
        {
            return null;
        }

        if (Validator is null)
        {
            return [train];
        }

        return Validator.RunEpochIn(context, epoch, Trainer.GlobalStep) is { } validation ? [train, validation] : null;
    }

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
}
