namespace TinyDl;

/// <summary>
/// A saved run to continue: what <see cref="Runner.Run(int, ResumePoint?, CancellationToken)"/> and
/// <see cref="Trainer.Run(int, ResumePoint?, CancellationToken)"/> take to resume. Restoring is the
/// resume point's job: it puts back the model, the optimizers, the random state, the data order and the
/// run's states (<see cref="IRunEvents.States"/>), and says where the run continues. A
/// <see cref="Checkpointer"/> makes them (<see cref="Checkpointer.ResumePoint"/>); write your own to resume
/// from another store.
/// </summary>
public abstract class ResumePoint
{
    /// <summary>What the run resumes from, for people: such as <c>checkpoints/last.ckpt (epoch 3)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Restores a run's state before its first event.</summary>
    /// <param name="run">The run's trainable state (model, optimizers, data) and its participants' states.</param>
    /// <param name="experiment">The experiment the run is asked to run, to refuse a checkpoint of another one.</param>
    /// <returns>Where the run continues.</returns>
    public abstract RunPosition Restore(IRunState run, Experiment? experiment);

    /// <inheritdoc />
    public override string ToString() => Description;
}
