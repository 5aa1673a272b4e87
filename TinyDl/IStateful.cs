namespace TinyDl;

/// <summary>
/// State that a run's checkpoints save and a resumed run gets back, such as a participant's counters: the
/// TinyDl counterpart of Lightning's <c>state_dict</c>/<c>load_state_dict</c>. Add it to a run with
/// <see cref="IRunEvents.AddState"/>. The checkpoint stores the bytes under <see cref="StateName"/>; a
/// resume calls <see cref="LoadState"/> before the run's first event, with what <see cref="SaveState"/>
/// returned when the checkpoint was written (at <see cref="EpochEnded"/>).
/// </summary>
public interface IStateful
{
    /// <summary>The state's name in checkpoints, unique in the run, such as <c>my-counter</c>.</summary>
    string StateName { get; }

    /// <summary>The state now, as bytes (JSON, binary: yours to choose).</summary>
    /// <returns>The bytes to store.</returns>
    byte[] SaveState();

    /// <summary>Takes back a state saved by <see cref="SaveState"/>.</summary>
    /// <param name="state">The bytes stored.</param>
    void LoadState(ReadOnlySpan<byte> state);
}
