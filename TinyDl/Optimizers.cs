using System.Collections;
using System.Diagnostics.CodeAnalysis;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// The named optimizers of a trainer, such as a GAN's <c>generator</c> and <c>discriminator</c>, in the
/// order given: every one is checkpointed under its name and restored by name on resume. A single
/// optimizer converts to a set of one, named <see cref="DefaultName"/>.
/// </summary>
/// <example><code>
/// var optimizers = new Optimizers { ["generator"] = optim.Adam(g.parameters()), ["discriminator"] = optim.Adam(d.parameters()) };
/// </code></example>
public sealed class Optimizers : IReadOnlyDictionary<string, optim.Optimizer>
{
    /// <summary>The name of a trainer's only optimizer.</summary>
    public const string DefaultName = "optimizer";

    private readonly List<KeyValuePair<string, optim.Optimizer>> _ordered = [];
    private readonly Dictionary<string, optim.Optimizer> _byName = new(StringComparer.Ordinal);

    /// <summary>An empty set: for a trainer whose step updates the parameters itself (manual optimization).</summary>
    public static Optimizers None => new();

    /// <inheritdoc />
    public int Count => _ordered.Count;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _ordered.Select(kv => kv.Key);

    /// <inheritdoc />
    public IEnumerable<optim.Optimizer> Values => _ordered.Select(kv => kv.Value);

    /// <summary>The optimizer of that name; setting adds it (a name may be given once).</summary>
    /// <param name="name">The optimizer's name: letters, digits, '_' or '-'.</param>
    /// <exception cref="KeyNotFoundException">No optimizer has that name.</exception>
    /// <exception cref="ArgumentException">Setting a name already given, or an invalid name.</exception>
    /// <exception cref="ArgumentNullException">Setting null.</exception>
    public optim.Optimizer this[string name]
    {
        get => _byName.TryGetValue(name, out var optimizer)
            ? optimizer
            : throw new KeyNotFoundException($"There is no optimizer named '{name}'; the optimizers are: {string.Join(", ", Keys)}.");
        set => Add(name, value);
    }

    /// <summary>Makes a set of one optimizer, named <see cref="DefaultName"/>.</summary>
    /// <param name="optimizer">The optimizer.</param>
    public static implicit operator Optimizers(optim.Optimizer optimizer) => new() { [DefaultName] = optimizer };

    /// <summary>Adds an optimizer.</summary>
    /// <param name="name">Its name: letters, digits, '_' or '-'.</param>
    /// <param name="optimizer">The optimizer.</param>
    /// <exception cref="ArgumentException">The name is empty, has other characters, or was given already; or the optimizer is in the set already.</exception>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public void Add(string name, optim.Optimizer optimizer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw new ArgumentException($"The optimizer name '{name}' may hold only letters, digits, '_' and '-'.", nameof(name));
        }

        if (_byName.ContainsKey(name))
        {
            throw new ArgumentException($"An optimizer is already named '{name}'.", nameof(name));
        }

        if (_byName.ContainsValue(optimizer))
        {
            throw new ArgumentException($"The optimizer named '{name}' is already in the set under another name.", nameof(optimizer));
        }

        _ordered.Add(new(name, optimizer));
        _byName.Add(name, optimizer);
    }

    /// <inheritdoc />
    public bool ContainsKey(string key) => _byName.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out optim.Optimizer value) => _byName.TryGetValue(key, out value);

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, optim.Optimizer>> GetEnumerator() => _ordered.GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A copy, so later additions to the original do not change a trainer's set.</summary>
    internal Optimizers Copy()
    {
        var copy = new Optimizers();
        foreach (var (name, optimizer) in _ordered)
        {
            copy.Add(name, optimizer);
        }

        return copy;
    }
}
