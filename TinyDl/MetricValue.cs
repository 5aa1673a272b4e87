using System.Text.Json.Serialization;

namespace TinyDl;

/// <summary>One computed metric value with the direction in which it improves.</summary>
/// <param name="Name">The metric's stable name, such as <c>loss</c> or <c>accuracy</c>.</param>
/// <param name="Value">The value over the whole epoch.</param>
/// <param name="HigherIsBetter">True when a larger value is better (accuracy), false for losses.</param>
public readonly record struct MetricValue(string Name, double Value, bool HigherIsBetter)
{
    /// <summary>
    /// Whether values can be ranked, so that a best one exists. False for values that only inform,
    /// such as the learning rate: reporters do not mark them and a run's best is their last value.
    /// Defaults to true.
    /// </summary>
    public bool Ranked { get; init; } = true;

    /// <summary>
    /// Why the value is undefined (then <see cref="Value"/> is NaN), such as "the targets hold only
    /// negatives this epoch" for a ROC AUC; null for a defined value. Defaults to null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UndefinedReason { get; init; }

    /// <summary>Whether the value is undefined: NaN, with <see cref="UndefinedReason"/> saying why.</summary>
    [JsonIgnore]
    public bool IsUndefined => UndefinedReason is not null;

    /// <summary>Whether this value is strictly better than <paramref name="other"/> for this metric.</summary>
    /// <param name="other">The value to compare with, such as the best so far; NaN loses to any number.</param>
    /// <returns>True when this value improves on <paramref name="other"/>; a NaN or unranked value never does.</returns>
    public bool IsBetterThan(double other) =>
        Ranked && !double.IsNaN(Value) && (double.IsNaN(other) || (HigherIsBetter ? Value > other : Value < other));
}
