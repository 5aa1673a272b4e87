namespace TinyDl.Internal;

/// <summary>What a stage's epoch needs from the run around it: the clock, whether to stop, and the run's
/// last word on the epoch's event (its best values) before the event is raised.</summary>
internal sealed record EpochContext(RunClock Clock, Func<bool> ShouldStop, Func<EpochCompleted, EpochCompleted> Complete)
{
    /// <summary>An epoch run on its own, outside a run.</summary>
    public static EpochContext Alone(RunClock clock, CancellationToken cancellationToken) =>
        new(clock, () => cancellationToken.IsCancellationRequested, e => e);
}
