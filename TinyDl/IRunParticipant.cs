namespace TinyDl;

/// <summary>
/// Anything that takes part in a run: reporters, controls such as early stopping, the checkpointer, a
/// learning-rate schedule, the manifest, or an object of your own. It attaches to the run's events, may
/// ask the run to stop (<see cref="IRunEvents.RequestStop"/>) and may add state to its checkpoints
/// (<see cref="IRunEvents.AddState"/>). Derive from <see cref="RunParticipant"/> to get the handlers and
/// the error wrapping for free.
/// </summary>
public interface IRunParticipant
{
    /// <summary>Attaches to a run.</summary>
    /// <param name="run">The run: a <see cref="Runner"/>, or a <see cref="Trainer"/> or <see cref="Validator"/> used alone.</param>
    /// <returns>The attachment; dispose it to detach.</returns>
    IDisposable AttachTo(IRunEvents run);
}
