using System.Reactive.Disposables;
using static TorchSharp.torch;
using static TorchSharp.torch.optim.lr_scheduler;

namespace TinyDl.Controls;

/// <summary>
/// Steps one of TorchSharp's learning-rate schedulers for one optimizer as a run goes: after every
/// training epoch or batch (<see cref="Interval"/>), or, with a <see cref="Monitor"/>, after every epoch
/// of the monitored stage with that metric's value, as <c>ReduceLROnPlateau</c> needs. Attach one per
/// optimizer. On a resumed run the schedule is rebuilt: the optimizer's learning rates are set back to
/// their values when this control was created, a new scheduler is made and stepped as often as the run
/// did (with the recorded metric values), so it continues exactly where it was, though TorchSharp's
/// schedulers have no state to save.
/// </summary>
/// <example><code>
/// new LearningRateSchedule(optimizer, o =&gt; optim.lr_scheduler.StepLR(o, step_size: 5, gamma: 0.5)).AttachTo(runner);
/// new LearningRateSchedule(optimizer, o =&gt; optim.lr_scheduler.ReduceLROnPlateau(o, patience: 2)) { Monitor = "loss" }.AttachTo(runner);
/// </code>
/// A participant: attach it to a run (<see cref="RunParticipant.AttachTo"/>). A NaN or infinite monitored value fails the run.
/// <code>
/// </code></example>
/// <remarks>Not thread-safe; its handlers run on the training thread.</remarks>
public sealed class LearningRateSchedule : RunParticipant
{
    private readonly optim.Optimizer _optimizer;
    private readonly Func<optim.Optimizer, LRScheduler> _create;
    private readonly (double Rate, double Initial)[] _start;

    /// <summary>Creates the scheduler now, from <paramref name="create"/>, remembering the optimizer's learning rates before.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to schedule.</param>
    /// <param name="create">Makes the scheduler over the optimizer it is given, such as <c>o =&gt; optim.lr_scheduler.CosineAnnealingLR(o, 10)</c>.</param>
    /// <param name="interval">When to step it. Defaults to <see cref="ScheduleInterval.Epoch"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is null, or <paramref name="create"/> returned null.</exception>
    public LearningRateSchedule(optim.Optimizer optimizer, Func<optim.Optimizer, LRScheduler> create, ScheduleInterval interval = ScheduleInterval.Epoch)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(create);
        _optimizer = optimizer;
        _create = create;
        _start = [.. optimizer.ParamGroups.Select(g => (g.LearningRate, g.InitialLearningRate))];
        Interval = interval;
        Scheduler = Create();
    }

    /// <summary>When the scheduler is stepped.</summary>
    public ScheduleInterval Interval { get; }

    /// <summary>The metric whose value the scheduler gets at every step (for <c>ReduceLROnPlateau</c>); null, the default, to step without one.</summary>
    public string? Monitor { get; init; }

    /// <summary>The stage whose <see cref="Monitor"/> value is used. Defaults to <see cref="Stage.Validation"/>.</summary>
    public Stage MonitorStage { get; init; } = Stage.Validation;

    /// <summary>The scheduler in use (a new one after a resume).</summary>
    public LRScheduler Scheduler { get; private set; }

    /// <summary>How many times the scheduler was stepped in this run, counting the steps replayed on resume.</summary>
    public long Steps { get; private set; }

    /// <summary>The optimizer's current learning rate (of its first parameter group).</summary>
    public double LearningRate => _optimizer.ParamGroups.First().LearningRate;

    /// <inheritdoc />
    protected override int BatchInterval => Monitor is null && Interval == ScheduleInterval.Batch ? 1 : 0;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A <see cref="Monitor"/> with <see cref="ScheduleInterval.Batch"/>.</exception>
    protected override void Attached(IRunEvents run, CompositeDisposable subscriptions)
    {
        if (Monitor is not null && Interval != ScheduleInterval.Epoch)
        {
            throw new InvalidOperationException($"A monitored schedule ('{Monitor}') steps once per epoch of its stage; use ScheduleInterval.Epoch.");
        }
    }

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e) => Restore(e);

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (Monitor is not null && e.Stage == MonitorStage)
        {
            Step(NonFiniteValueException.RequireFinite(e, Monitor, "the learning-rate schedule").Value);
        }
        else if (Monitor is null && Interval == ScheduleInterval.Epoch && e.Stage == Stage.Train)
        {
            Step(null);
        }
    }

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train)
        {
            Step(null);
        }
    }

    private LRScheduler Create() => _create(_optimizer) ?? throw new ArgumentNullException(nameof(_create), "The scheduler factory returned null.");

    private void Restore(RunStarted e)
    {
        Steps = 0;
        if (e.Epoch <= 1 && e.GlobalStep == 0)
        {
            return;
        }

        foreach (var (group, (rate, initial)) in _optimizer.ParamGroups.Zip(_start))
        {
            group.LearningRate = rate;
            group.InitialLearningRate = initial;
        }

        Scheduler = Create();
        if (Monitor is not null)
        {
            foreach (var epoch in e.History)
            {
                if (epoch.Metrics.TryGetValue(MonitorStage, out var metrics) && metrics.TryGetValue(Monitor, out var value))
                {
                    Step(value);
                }
            }
        }
        else
        {
            var steps = Interval == ScheduleInterval.Epoch ? e.Epoch - 1 : e.GlobalStep;
            for (long i = 0; i < steps; i++)
            {
                Step(null);
            }
        }
    }

    private void Step(double? value)
    {
        if (value is { } monitored)
        {
            Scheduler.step(monitored);
        }
        else
        {
            Scheduler.step();
        }

        Steps++;
    }
}
