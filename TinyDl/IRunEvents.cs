namespace TinyDl;

/// <summary>
/// The event streams of a run, as <see cref="Runner"/> publishes them. Every stream is raised
/// synchronously on the training thread, completes when the run ends, and ends with OnError when the
/// run fails. Observers must not throw unless they mean to stop the run.
/// </summary>
public interface IRunEvents
{
    /// <summary>Raised once when the run starts.</summary>
    IObservable<RunStarted> RunStarted { get; }

    /// <summary>Raised when a stage starts an epoch.</summary>
    IObservable<EpochStarted> EpochStarted { get; }

    /// <summary>Raised after every batch of every stage; its tensors are valid only during OnNext.</summary>
    IObservable<BatchCompleted> BatchCompleted { get; }

    /// <summary>Raised when a stage finishes an epoch, with its metric values.</summary>
    IObservable<EpochCompleted> EpochCompleted { get; }

    /// <summary>Raised once when the run ends, however it ends.</summary>
    IObservable<RunCompleted> RunCompleted { get; }
}
