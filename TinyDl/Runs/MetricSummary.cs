namespace TinyDl.Runs;

/// <summary>
/// One metric of a run as the manifest records it, under the key <c>&lt;stage&gt;_&lt;metric&gt;</c>
/// (<c>validation_accuracy</c>): its value in the last epoch, its best value and when that was.
/// </summary>
/// <param name="Final">The value in the last epoch the stage finished.</param>
/// <param name="Best">The best value over the run, judged by <paramref name="HigherIsBetter"/>.</param>
/// <param name="BestEpoch">The epoch of the best value, counted from 1.</param>
/// <param name="HigherIsBetter">True when a larger value is better (accuracy), false for losses.</param>
public sealed record MetricSummary(double Final, double Best, int BestEpoch, bool HigherIsBetter)
{
    /// <summary>The final or the best value.</summary>
    /// <param name="final">True for <see cref="Final"/>, false for <see cref="Best"/>.</param>
    /// <returns>The value.</returns>
    public double Value(bool final) => final ? Final : Best;
}
