namespace TinyDl;

/// <summary>A metric's best value over a run so far and the epoch that reached it.</summary>
/// <param name="Value">The value, with its name and direction.</param>
/// <param name="Epoch">The epoch of the value, counted from 1.</param>
public readonly record struct BestValue(MetricValue Value, int Epoch);
