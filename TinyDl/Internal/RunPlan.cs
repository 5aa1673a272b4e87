namespace TinyDl.Internal;

/// <summary>What a <see cref="RunLoop"/> runs.</summary>
/// <param name="Experiment">The experiment, for <see cref="RunStarted"/>.</param>
/// <param name="Epochs">The last epoch.</param>
/// <param name="Stages">The stages of every epoch.</param>
/// <param name="Restore">Restores a resumed run and returns its position (or <see cref="RunPosition.Start"/>), and what it resumed from.</param>
/// <param name="Epoch">Runs one epoch's stages; returns their events, or null when a stop cut it short.</param>
/// <param name="GlobalStep">Reads the trainer's global step.</param>
internal sealed record RunPlan(
    Experiment? Experiment,
    int Epochs,
    IReadOnlyList<Stage> Stages,
    Func<(RunPosition Position, string? From)> Restore,
    Func<int, EpochContext, IReadOnlyList<EpochCompleted>?> Epoch,
    Func<long> GlobalStep)
{
    /// <summary>The stages evaluated once after the epochs (a test set), and how, given the last epoch; empty for none.</summary>
    public IReadOnlyList<Stage> EndStages { get; init; } = [];

    /// <summary>Runs the end stages; null when there are none.</summary>
    public Func<int, EpochContext, IReadOnlyList<EpochCompleted>?>? End { get; init; }
}
