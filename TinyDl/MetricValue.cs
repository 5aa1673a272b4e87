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


    /// <summary>
    /// Whether this value improves on <paramref name="other"/> for this metric: by more than
    /// <paramref name="minDelta"/> in the metric's direction. This is TinyDl's one definition of
    /// "better": the run's best values, the checkpoints' best and top epochs and early stopping all use it.
    /// </summary>
    /// <param name="other">The value to compare with, such as the best so far; NaN loses to any number.</param>
    /// <param name="minDelta">The smallest change that counts, at least 0. Defaults to 0: any strict improvement.</param>
    /// <returns>True when this value improves on <paramref name="other"/>. A value that is not finite (NaN,
    /// infinite) or not ranked never does; any finite value improves on one that is not finite.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="minDelta"/> is negative or not a number.</exception>
    public bool IsBetterThan(double other, double minDelta = 0)
    {
        if (!(minDelta >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(minDelta), minDelta, "The minimum improvement is a number of at least 0.");
        }

        return Ranked && double.IsFinite(Value) && (!double.IsFinite(other) || (HigherIsBetter ? Value > other + minDelta : Value < other - minDelta));
    }
}
