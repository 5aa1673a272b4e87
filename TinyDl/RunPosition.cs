namespace TinyDl;

/// <summary>Where a run continues from: the last epoch done, the trainer's global step then, and every epoch done so far.</summary>
/// <param name="Epoch">The last epoch completed (0 for a run that starts afresh).</param>
/// <param name="GlobalStep">The trainer's global step after it.</param>
/// <param name="History">Every completed epoch with each stage's metric values, oldest first.</param>
public sealed record RunPosition(int Epoch, long GlobalStep, IReadOnlyList<EpochSummary> History)
{
    /// <summary>The start of a new run: epoch 0, step 0, no history.</summary>
    public static RunPosition Start { get; } = new(0, 0, []);
}
