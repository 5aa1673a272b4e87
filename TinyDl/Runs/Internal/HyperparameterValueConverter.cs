using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyDl.Runs.Internal;

/// <summary>
/// Writes hyperparameter values as plain JSON values and reads them back as bool, long (integers),
/// double (other numbers) or string.
/// </summary>
internal sealed class HyperparameterValueConverter : JsonConverter<object>
{
    public override object Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Number when reader.TryGetInt64(out var integer) => integer,
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String => reader.GetString()!,
        _ => throw new JsonException($"A hyperparameter value must be a bool, a number or a string, not {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int i:
                writer.WriteNumberValue(i);
                break;
            case long l:
                writer.WriteNumberValue(l);
                break;
            case float or double when double.IsFinite(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)):
                // As the experiment shows it (1.0, not 1), so a real reads back as a double, not an integer.
                writer.WriteRawValue(Experiment.Format(value));
                break;
            default:
                writer.WriteStringValue(Experiment.Format(value));
                break;
        }
    }
}
