namespace TinyDl.Runs;

/// <summary>How <see cref="Highscores.Rank"/> filters and orders runs. Immutable; the defaults rank every
/// readable run by its best <c>validation_accuracy</c>, best first.</summary>
public sealed record HighscoreQuery
{
    /// <summary>
    /// The metric key to sort by, <c>&lt;stage&gt;_&lt;metric&gt;</c> such as <c>validation_loss</c>.
    /// Defaults to null: <c>validation_accuracy</c> when a run records it, else the first metric any run records.
    /// </summary>
    public string? Metric { get; init; }

    /// <summary>Whether to use each run's final value instead of its best. Defaults to false (best).</summary>
    public bool Final { get; init; }

    /// <summary>
    /// Whether the largest value comes first. Defaults to null: best first, by the direction the
    /// manifests record for the metric (descending for accuracy, ascending for loss).
    /// </summary>
    public bool? Descending { get; init; }

    /// <summary>Hyperparameter filters a run must all match. Defaults to none.</summary>
    public IReadOnlyList<HyperparameterFilter> Where { get; init; } = [];

    /// <summary>How many runs to keep at most, after sorting. Defaults to null: all.</summary>
    public int? Top { get; init; }
}
