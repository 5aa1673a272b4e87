namespace TinyDl;

/// <summary>
/// A run as its participants see it: its event streams, a way to ask it to stop, and a place to add
/// state that checkpoints save and restore. Offered by <see cref="Runner"/>, and by a <see cref="Trainer"/>
/// or <see cref="Validator"/> used alone. Every stream is raised synchronously on the training thread,
/// completes when the run ends, and ends with OnError when the run fails (after <see cref="RunCompleted"/>
/// with <see cref="RunStatus.Failed"/>). Observers must not throw unless they mean to stop the run.
/// </summary>
public interface IRunEvents
{
    /// <summary>Raised once when the run starts.</summary>
    IObservable<RunStarted> RunStarted { get; }

    /// <summary>Raised when a stage starts an epoch.</summary>
    IObservable<EpochStarted> EpochStarted { get; }

    /// <summary>Raised after every batch of every stage; its tensors are valid only during OnNext.</summary>
    IObservable<BatchCompleted> BatchCompleted { get; }

    /// <summary>Raised when a stage finishes an epoch, with its metric values and the run's best values.</summary>
    IObservable<EpochCompleted> EpochCompleted { get; }

    /// <summary>Raised once per epoch after all of its stages completed: where checkpoints are saved.</summary>
    IObservable<EpochEnded> EpochEnded { get; }

    /// <summary>Raised once when the run ends, however it ends.</summary>
    IObservable<RunCompleted> RunCompleted { get; }

    /// <summary>
    /// The states that checkpoints of this run save and a resume restores, besides the model, the
    /// optimizers, the random state and the data order; see <see cref="AddState"/>.
    /// </summary>
    IReadOnlyList<IStateful> States { get; }

    /// <summary>
    /// Asks the run to stop after the current batch. Safe from any thread and from observers. An epoch cut
    /// short raises no <see cref="TinyDl.EpochCompleted"/>; the run ends with <see cref="RunStatus.Stopped"/>
    /// and <see cref="RunCompleted.StopReason"/> = <paramref name="reason"/> (the first reason given wins).
    /// </summary>
    /// <param name="reason">Why, in words for the person reading the log, such as <c>early stopping: ...</c>.</param>
    void RequestStop(string reason);

    /// <summary>Adds a state to the run's checkpoints: saved with every checkpoint, restored on resume.</summary>
    /// <param name="state">The state; its <see cref="IStateful.StateName"/> must be unique in the run.</param>
    /// <returns>Removes the state again when disposed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">Another state has the same name.</exception>
    IDisposable AddState(IStateful state);
}
