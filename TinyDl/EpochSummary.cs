namespace TinyDl;

/// <summary>An epoch a resumed run did before, as its checkpoint recorded it.</summary>
/// <param name="Epoch">The epoch.</param>
/// <param name="GlobalStep">The trainer's global step after it.</param>
/// <param name="Metrics">Each stage's metric values of the epoch.</param>
public sealed record EpochSummary(int Epoch, long GlobalStep, IReadOnlyDictionary<Stage, MetricValues> Metrics)
{
    /// <summary>The epoch's duration over all its stages (zero when the checkpoint predates format version 3).</summary>
    public TimeSpan Duration { get; init; }
}
