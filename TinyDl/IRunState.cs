using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// What a checkpoint saves of a training run and a <see cref="ResumePoint"/> restores into it: the model,
/// the optimizers, the trainer's global step, the replayable data by stage, and the participants' states.
/// Offered by <see cref="Runner"/> and by a <see cref="Trainer"/>.
/// </summary>
public interface IRunState
{
    /// <summary>The trained model (every module the trainer checkpoints).</summary>
    nn.Module Model { get; }

    /// <summary>The optimizers by name.</summary>
    Optimizers Optimizers { get; }

    /// <summary>The trainer's global step.</summary>
    long GlobalStep { get; }

    /// <summary>The data whose batch order a resume must continue, by stage.</summary>
    IReadOnlyDictionary<Stage, IReplayableData> ReplayableData { get; }

    /// <summary>The run's other states, as <see cref="IRunEvents.States"/>.</summary>
    IReadOnlyList<IStateful> States { get; }
}
