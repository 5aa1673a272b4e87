using System.Collections;

namespace TinyDl;

/// <summary>
/// A grid of hyperparameter values. <see cref="GetExperiments()"/> yields the cartesian product in a
/// deterministic order, the first key varying slowest:
/// <code>
/// var grid = new Hyperparameter { { "lr", 1e-3, 1e-4 }, { "hidden", 128, 256 } };
/// foreach (var experiment in grid.GetExperiments()) { var lr = experiment.Get&lt;double&gt;("lr"); }
/// </code>
/// Values may be bool, int, long, float, double or string. Keys start with a letter or '_' and hold
/// only ASCII letters, digits, '_', '-' and '.'.
/// </summary>
public sealed class Hyperparameter : IEnumerable<KeyValuePair<string, IReadOnlyList<object>>>
{
    private static readonly Type[] SupportedTypes = [typeof(bool), typeof(int), typeof(long), typeof(float), typeof(double), typeof(string)];
    private readonly List<KeyValuePair<string, IReadOnlyList<object>>> _grid = [];

    /// <summary>Creates an empty grid; add keys with <see cref="Add"/> or a collection initializer.</summary>
    public Hyperparameter()
    {
    }

    /// <summary>Creates a grid from a dictionary of key to candidate values, in the dictionary's order.</summary>
    /// <param name="grid">The candidate values of each key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grid"/> is null.</exception>
    /// <exception cref="ArgumentException">A key is invalid or repeated, or its values are null, empty or of an unsupported type.</exception>
    public Hyperparameter(IEnumerable<KeyValuePair<string, object[]>> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        foreach (var (key, values) in grid)
        {
            Add(key, values);
        }
    }

    /// <summary>The number of keys.</summary>
    public int Count => _grid.Count;

    /// <summary>The number of experiments the grid yields (the product of the value counts).</summary>
    public long ExperimentCount => _grid.Aggregate(1L, (n, kv) => checked(n * kv.Value.Count));

    /// <summary>Adds a key with its candidate values.</summary>
    /// <param name="key">The hyperparameter's name.</param>
    /// <param name="values">Its candidate values, at least one, all non-null and of a supported type.</param>
    /// <exception cref="ArgumentException">The key is invalid or already present, or the values are null, empty or unsupported.</exception>
    public void Add(string key, params object[] values)
    {
        CheckKey(key);
        if (_grid.Any(kv => kv.Key == key))
        {
            throw new ArgumentException($"Hyperparameter '{key}' is already in the grid.", nameof(key));
        }

        if (values is null || values.Length == 0)
        {
            throw new ArgumentException($"Hyperparameter '{key}' has no values; give it at least one.", nameof(values));
        }

        foreach (var value in values)
        {
            CheckValue(key, value);
        }

        if (values.Select(Experiment.Canonical).Distinct(StringComparer.Ordinal).Count() != values.Length)
        {
            throw new ArgumentException($"Hyperparameter '{key}' lists the same value twice (1 and 1L, or 0.5f and 0.5, are the same value).", nameof(values));
        }

        _grid.Add(new(key, values.ToArray()));
    }

    /// <summary>
    /// The experiments of the grid: the cartesian product, first key varying slowest. Re-iterable; every
    /// iteration yields the same experiments in the same order. An empty grid yields one experiment
    /// without values.
    /// </summary>
    /// <returns>The experiments.</returns>
    public IEnumerable<Experiment> GetExperiments()
    {
        var snapshot = _grid.ToArray();
        return Enumerate(snapshot);
    }

    /// <summary>
    /// The experiments of one worker's <paramref name="shard"/>: those at positions <c>Index</c>,
    /// <c>Index + Count</c>, <c>Index + 2 Count</c>, ... of <see cref="GetExperiments()"/>, so the shards of one
    /// count split the grid into disjoint parts that together hold every experiment once.
    /// </summary>
    /// <param name="shard">The worker's share, such as <c>Shard.Parse("3/8")</c>.</param>
    /// <returns>The experiments of the shard in grid order; none when the shard is beyond the grid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="shard"/> is null.</exception>
    public IEnumerable<Experiment> GetExperiments(Shard shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        return shard.Of(GetExperiments());
    }

    /// <summary>
    /// Reads a sweep file: a JSON object with one key, <c>hyperparameters</c>, whose keys are the grid's in
    /// order; a list is the values swept, a single value is fixed:
    /// <code>
    /// { "hyperparameters": { "model": "mlp", "lr": [0.001, 0.0003], "hidden": [128, 256], "epochs": 5 } }
    /// </code>
    /// Integers (no point, no exponent) are <c>int</c>, or <c>long</c> when larger; other numbers are
    /// <c>double</c>. Comments and trailing commas are allowed.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="SweepFileException">The file is not a valid sweep file; the message names the line and the JSON path.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Hyperparameter Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(SafeFile.ReadAllBytes(path, 1 << 20), path);
    }

    /// <summary>Parses the text of a sweep file (see <see cref="Load"/>).</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="source">The name the messages give the text, such as its file.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="SweepFileException">The text is not a valid sweep file.</exception>
    public static Hyperparameter Parse(ReadOnlySpan<byte> utf8Json, string source = "sweep")
    {
        ArgumentNullException.ThrowIfNull(source);
        return Internal.SweepFileReader.Read(utf8Json, source);
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, IReadOnlyList<object>>> GetEnumerator() => _grid.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal static void CheckKey(string key)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("A hyperparameter name must not be null or empty.", nameof(key));
        }

        if (!(char.IsAsciiLetter(key[0]) || key[0] == '_') || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"Hyperparameter name '{key}' must start with a letter or '_' and contain only ASCII letters, digits, '_', '-' and '.'.", nameof(key));
        }
    }

    internal static void CheckValue(string key, object? value)
    {
        if (value is null)
        {
            throw new ArgumentException($"Hyperparameter '{key}' has a null value; values must be bool, int, long, float, double or string.", nameof(value));
        }

        if (!SupportedTypes.Contains(value.GetType()))
        {
            throw new ArgumentException($"Hyperparameter '{key}' has a value of unsupported type {value.GetType().Name} ({value}); values must be bool, int, long, float, double or string.", nameof(value));
        }

        if (value is double d && !double.IsFinite(d) || value is float f && !float.IsFinite(f))
        {
            throw new ArgumentException($"Hyperparameter '{key}' has the non-finite value {value}.", nameof(value));
        }
    }

    private static IEnumerable<Experiment> Enumerate(KeyValuePair<string, IReadOnlyList<object>>[] grid)
    {
        var indices = new int[grid.Length];
        while (true)
        {
            yield return new Experiment(grid.Select((kv, i) => new KeyValuePair<string, object>(kv.Key, kv.Value[indices[i]])));

            var position = grid.Length - 1;
            while (position >= 0 && ++indices[position] == grid[position].Value.Count)
            {
                indices[position] = 0;
                position--;
            }

            if (position < 0)
            {
                yield break;
            }
        }
    }
}
