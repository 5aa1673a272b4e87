using TinyDl.Internal;

namespace TinyDl;

/// <summary>
/// The run's events as <see cref="Runner"/>, <see cref="Trainer"/> and <see cref="Validator"/> offer them (see
/// <see cref="IRunEvents"/>): each has its own streams, and a runner passes its trainer's and validators'
/// stage events on to its own, so a participant can attach to whichever it runs.
/// </summary>
public abstract class RunEventSource : IRunEvents
{
    // Only TinyDl's runner, trainer and validator derive from it.
    private protected RunEventSource()
    {
    }

    /// <inheritdoc />
    public IObservable<RunStarted> RunStarted => Hub.RunStarted;

    /// <inheritdoc />
    public IObservable<EpochStarted> EpochStarted => Hub.EpochStarted;

    /// <inheritdoc />
    public IObservable<BatchCompleted> BatchCompleted => Hub.BatchCompleted;

    /// <inheritdoc />
    public IObservable<EpochCompleted> EpochCompleted => Hub.EpochCompleted;

    /// <inheritdoc />
    public IObservable<EpochEnded> EpochEnded => Hub.EpochEnded;

    /// <inheritdoc />
    public IObservable<RunCompleted> RunCompleted => Hub.RunCompleted;

    /// <inheritdoc />
    public IReadOnlyList<IStateful> States => Hub.States;

    internal RunHub Hub { get; } = new();

    /// <inheritdoc />
    public void RequestStop(string reason) => Hub.RequestStop(reason);

    /// <inheritdoc />
    public IDisposable AddState(IStateful state) => Hub.AddState(state);
}
