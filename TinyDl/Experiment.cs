using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TinyDl;

/// <summary>
/// One point of a <see cref="Hyperparameter"/> grid: named values with typed access, a stable id
/// (a hash of the values) and a readable, file-system-safe name that no other experiment has. Immutable.
/// </summary>
/// <remarks>
/// Identity: values are compared as bool, integer (<c>int</c> and <c>long</c> alike: <c>1</c> and <c>1L</c> are
/// the same experiment), real number (<c>float</c> widened exactly to <c>double</c>: <c>0.5f</c> and <c>0.5</c>
/// are the same, <c>0.1f</c> is 0.10000000149011612, not 0.1) or string. Different kinds are different
/// experiments even when they print alike: <c>1</c>, <c>1.0</c> and <c>"1"</c> are three. The name shows the
/// values as <c>key=value</c> joined by <c>_</c>, reals always with a point or exponent (<c>1.0</c>, <c>1E-05</c>);
/// when that text could stand for other values (a string that needs a character replaced, contains <c>_</c>
/// or <c>=</c>, or reads as a number or bool) or is too long, it ends with <c>~</c> and the id, so two
/// different experiments never share a name, and so never share a run directory.
/// </remarks>
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

    /// <summary>A stable id: the first 12 hex digits of the SHA-256 of the canonical values (kind and text of each).</summary>
    public string Id { get; }

    /// <summary>
    /// A readable, file-system-safe name such as <c>lr=0.001_hidden=256</c>, unique to this experiment;
    /// <c>default</c> for an experiment without values; ending in <c>~</c> and the id when the readable text
    /// alone could be another experiment's, and shortened when longer than 100 characters.
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

    /// <summary>
    /// Formats a hyperparameter value the way names, ids and files show it (invariant, round-trip): integers
    /// as digits, reals (a float widened to double) always with a point or an exponent, bools as
    /// <c>true</c>/<c>false</c>, strings as they are.
    /// </summary>
    /// <param name="value">A supported value.</param>
    /// <returns>The text.</returns>
    public static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => Real(d),
        float f => Real(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Experiment other && other.Id == Id;

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);

    private static string Real(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny('.', 'E') >= 0 || !double.IsFinite(value) ? text : text + ".0";
    }

    /// <summary>The value as the id sees it: its kind and canonical text; equal for values that are the same experiment.</summary>
    internal static string Canonical(object value) => $"{Kind(value)}\t{Format(value)}";

    private static string Kind(object value) => value switch
    {
        bool => "bool",
        int or long => "integer",
        float or double => "real",
        _ => "string",
    };

    private static string ComputeId(KeyValuePair<string, object>[] values)
    {
        var canonical = string.Join("\n", values.Select(v => $"{v.Key}\t{Canonical(v.Value)}"));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash)[..12];
    }

    // A string is shown as it is only when no other value could print the same: safe characters, no '_'
    // or '=' (they separate the pairs), and nothing that reads as a bool or a number.
    private static bool ShownAsItIs(string text) =>
        text.Length > 0
        && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '+')
        && text is not ("true" or "false")
        && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static string ComputeName(KeyValuePair<string, object>[] values, string id)
    {
        if (values.Length == 0)
        {
            return "default";
        }

        var exact = values.All(v => v.Value is not string text || ShownAsItIs(text));
        var text = string.Join("_", values.Select(v => $"{v.Key}={Format(v.Value)}"));
        var safe = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '=' or '_' or '-' or '.' or '+' ? c : '-');
        }

        var name = safe.ToString();
        if (exact && name.Length <= MaxNameLength)
        {
            return name;
        }

        // '~' never appears in a name shown as it is, so a name with an id cannot be another's.
        var suffix = "~" + id;
        return name.Length + suffix.Length <= MaxNameLength ? name + suffix : name[..(MaxNameLength - suffix.Length)] + suffix;
    }
}
