using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TinyDl;

/// <summary>
/// One point of a <see cref="Hyperparameter"/> grid: named values with typed access, a stable id
/// (a hash of the values) and a readable, file-system-safe name. Immutable.
/// </summary>
public sealed class Experiment
{
    private const int MaxNameLength = 100;
    private readonly KeyValuePair<string, object>[] _values;

    /// <summary>Creates an experiment from named values.</summary>
    /// <param name="values">The values in grid order; each a bool, int, long, float, double or string.</param>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is empty or repeated, or a value is null or of an unsupported type.</exception>
    public Experiment(IEnumerable<KeyValuePair<string, object>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.ToArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in _values)
        {
            Hyperparameter.CheckKey(key);
            Hyperparameter.CheckValue(key, value);
            if (!seen.Add(key))
            {
                throw new ArgumentException($"Hyperparameter '{key}' appears twice.", nameof(values));
            }
        }

        Id = ComputeId(_values);
        Name = ComputeName(_values, Id);
    }

    /// <summary>The values in grid order.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Values => _values;

    /// <summary>The hyperparameter names in grid order.</summary>
    public IEnumerable<string> Keys => _values.Select(v => v.Key);

    /// <summary>A stable id: the first 12 hex digits of the SHA-256 of the canonical values.</summary>
    public string Id { get; }

    /// <summary>
    /// A readable, file-system-safe name such as <c>lr=0.001_hidden=256</c>; <c>default</c> for an
    /// experiment without values; shortened with the id appended when longer than 100 characters.
    /// </summary>
    public string Name { get; }

    /// <summary>Whether the experiment has a value named <paramref name="key"/>.</summary>
    /// <param name="key">The hyperparameter's name.</param>
    /// <returns>True when present.</returns>
    public bool Contains(string key) => _values.Any(v => v.Key == key);

    /// <summary>The value of <paramref name="key"/> as <typeparamref name="T"/>. Integers widen to
    /// long, float and double; nothing narrows.</summary>
    /// <typeparam name="T">The type wanted.</typeparam>
    /// <param name="key">The hyperparameter's name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such hyperparameter; the message lists those there are.</exception>
    /// <exception cref="InvalidCastException">The value cannot be had as <typeparamref name="T"/> without loss.</exception>
    public T Get<T>(string key)
    {
        var value = Raw(key);
        if (value is T typed)
        {
            return typed;
        }

        object? converted = (value, typeof(T)) switch
        {
            (int i, var t) when t == typeof(long) => (long)i,
            (int i, var t) when t == typeof(double) => (double)i,
            (int i, var t) when t == typeof(float) => (float)i,
            (long l, var t) when t == typeof(double) => (double)l,
            (float f, var t) when t == typeof(double) => (double)f,
            _ => null,
        };
        return converted is T result
            ? result
            : throw new InvalidCastException($"Hyperparameter '{key}' is {value.GetType().Name} {Format(value)}, which cannot be read as {typeof(T).Name}.");
    }

    /// <summary>The value of <paramref name="key"/> as stored.</summary>
    /// <param name="key">The hyperparameter's name.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">There is no such hyperparameter.</exception>
    public object Raw(string key)
    {
        foreach (var (k, v) in _values)
        {
            if (k == key)
            {
                return v;
            }
        }

        throw new KeyNotFoundException($"The experiment has no hyperparameter '{key}'. It has: {string.Join(", ", Keys)}.");
    }

    /// <summary>Formats a hyperparameter value the way names, ids and files show it (invariant, round-trip).</summary>
    /// <param name="value">A supported value.</param>
    /// <returns>The text.</returns>
    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Experiment other && other.Id == Id;

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

    private static string ComputeId(KeyValuePair<string, object>[] values)
    {
        var canonical = string.Join("\n", values.Select(v => $"{v.Key}\t{v.Value.GetType().Name}\t{Format(v.Value)}"));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash)[..12];
    }

    private static string ComputeName(KeyValuePair<string, object>[] values, string id)
    {
        if (values.Length == 0)
        {
            return "default";
        }

        var text = string.Join("_", values.Select(v => $"{v.Key}={Format(v.Value)}"));
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '=' or '_' or '-' or '.' or '+' ? c : '-');
        }

        var name = safe.ToString();
        return name.Length <= MaxNameLength ? name : $"{name[..(MaxNameLength - 13)]}-{id}";
    }
}
