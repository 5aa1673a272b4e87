using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace TinyDl;

/// <summary>
/// The metric values of one stage, in the order the metrics were attached. Immutable and free of
/// tensors, so it may be kept or handed to another thread.
/// </summary>
public sealed class MetricValues : IReadOnlyList<MetricValue>
{
    private readonly MetricValue[] _values;

    /// <summary>Creates a set of values.</summary>
    /// <param name="values">The values; names must be unique.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">Two values share a name.</exception>
    public MetricValues(IEnumerable<MetricValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.ToArray();
        var duplicate = _values.GroupBy(v => v.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Two metrics are named '{duplicate.Key}'; metric names must be unique within a stage.", nameof(values));
        }
    }

    /// <summary>An empty set.</summary>
    public static MetricValues Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _values.Length;

    /// <summary>The names of the values, in order.</summary>
    public IEnumerable<string> Names => _values.Select(v => v.Name);

    /// <inheritdoc />
    public MetricValue this[int index] => _values[index];

    /// <summary>The value of the metric named <paramref name="name"/>.</summary>
    /// <param name="name">The metric's name.</param>
    /// <exception cref="KeyNotFoundException">No metric has that name; the message lists the names there are.</exception>
    public double this[string name] => TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException($"No metric named '{name}'. Metrics: {string.Join(", ", Names)}.");

    /// <summary>Looks up a value by metric name.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="value">The value, when found.</param>
    /// <returns>True when a metric of that name is present.</returns>
    public bool TryGetValue(string name, out double value)
    {
        if (TryGet(name, out var metric))
        {
            value = metric.Value;
            return true;
        }

        value = double.NaN;
        return false;
    }

    /// <summary>Looks up a metric value with its direction.</summary>
    /// <param name="name">The metric's name.</param>
    /// <param name="metric">The metric value, when found.</param>
    /// <returns>True when a metric of that name is present.</returns>
    public bool TryGet(string name, [MaybeNullWhen(false)] out MetricValue metric)
    {
        foreach (var candidate in _values)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                metric = candidate;
                return true;
            }
        }

        metric = default;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<MetricValue> GetEnumerator() => ((IEnumerable<MetricValue>)_values).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", _values.Select(v => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{v.Name}={v.Value:G6}")));
}
