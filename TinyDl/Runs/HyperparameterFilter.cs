using System.Globalization;

namespace TinyDl.Runs;

/// <summary>
/// Keeps the runs whose hyperparameter <see cref="Key"/> equals <see cref="Value"/>: numbers compare as
/// numbers (<c>lr=1e-3</c> matches 0.001), anything else as text ignoring case. A run without the
/// hyperparameter does not match.
/// </summary>
/// <param name="Key">The hyperparameter's name.</param>
/// <param name="Value">The value, as text.</param>
public sealed record HyperparameterFilter(string Key, string Value)
{
    /// <summary>Parses <c>key=value</c>.</summary>
    /// <param name="text">The filter, such as <c>lr=0.001</c>.</param>
    /// <returns>The filter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The text is not <c>key=value</c> with a non-empty key and value.</exception>
    public static HyperparameterFilter Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var key = equals > 0 ? text[..equals].Trim() : "";
        var value = equals > 0 ? text[(equals + 1)..].Trim() : "";
        return key.Length > 0 && value.Length > 0
            ? new HyperparameterFilter(key, value)
            : throw new FormatException($"'{text}' is not a filter; write key=value, such as lr=0.001.");
    }

    /// <summary>Whether a manifest's hyperparameters match.</summary>
    /// <param name="manifest">The manifest.</param>
    /// <returns>True when the manifest has <see cref="Key"/> with a value equal to <see cref="Value"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="manifest"/> is null.</exception>
    public bool Matches(RunManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (!manifest.Hyperparameters.TryGetValue(Key, out var actual))
        {
            return false;
        }

        if (actual is not string and not bool
            && double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var wanted)
            && double.TryParse(Experiment.Format(actual), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return number.Equals(wanted);
        }

        return string.Equals(Experiment.Format(actual), Value, StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public override string ToString() => $"{Key}={Value}";
}
