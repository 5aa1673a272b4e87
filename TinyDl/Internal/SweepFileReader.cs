using System.Globalization;
using System.Text.Json;

namespace TinyDl.Internal;

/// <summary>
/// Reads a sweep file: <c>{ "hyperparameters": { "model": "mlp", "lr": [0.001, 0.0003] } }</c>, a list being the
/// values swept and a single value a fixed one, keys in the file's order. Every problem is a
/// <see cref="SweepFileException"/> with the line and JSON path. Comments and trailing commas are allowed.
/// </summary>
internal static class SweepFileReader
{
    private const string Grid = "hyperparameters";
    private const string Values = "a bool, a number or a string, or a list of them";

    public static Hyperparameter Read(ReadOnlySpan<byte> utf8, string source)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var bytes = utf8.ToArray();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Problem(source, bytes, reader, "$", "a sweep file is a JSON object, such as { \"hyperparameters\": { \"lr\": [0.001, 0.0003] } }.");
            }

            Hyperparameter? grid = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                var path = $"$.{name}";
                if (name != Grid)
                {
                    throw Problem(source, bytes, reader, path, $"unknown key '{name}'; a sweep file has one key, \"{Grid}\".");
                }

                if (grid is not null)
                {
                    throw Problem(source, bytes, reader, path, $"\"{Grid}\" appears twice.");
                }

                reader.Read();
                grid = ReadGrid(ref reader, bytes, source, path);
            }

            if (reader.Read())
            {
                throw Problem(source, bytes, reader, "$", "there is text after the sweep's object.");
            }

            return grid ?? throw Problem(source, bytes, reader, "$", $"the key \"{Grid}\" is missing; give it as {{ \"{Grid}\": {{ \"lr\": [0.001, 0.0003] }} }}.");
        }
        catch (JsonException error)
        {
            var line = (int)(error.LineNumber ?? 0) + 1;
            var what = error.Message.Split(" LineNumber:", 2)[0].TrimEnd('.', ' ');
            throw new SweepFileException(source, line, error.Path ?? "$", $"not valid JSON: {what}.", error);
        }
    }

    private static Hyperparameter ReadGrid(ref Utf8JsonReader reader, byte[] bytes, string source, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Problem(source, bytes, reader, path, $"must be an object of hyperparameter names to values, not {Kind(reader.TokenType)}.");
        }

        var grid = new Hyperparameter();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = reader.GetString()!;
            var keyPath = $"{path}.{key}";
            var keyReader = reader;
            reader.Read();
            var values = new List<object>();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                var start = reader;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    values.Add(Scalar(ref reader, bytes, source, $"{keyPath}[{values.Count}]", inList: true));
                }

                if (values.Count == 0)
                {
                    throw Problem(source, bytes, start, keyPath, "the list is empty; give at least one value.");
                }
            }
            else
            {
                values.Add(Scalar(ref reader, bytes, source, keyPath, inList: false));
            }

            try
            {
                grid.Add(key, [.. values]);
            }
            catch (ArgumentException error)
            {
                throw Problem(source, bytes, keyReader, keyPath, error.Message.Split(" (Parameter", 2)[0]);
            }
        }

        return grid;
    }

    private static object Scalar(ref Utf8JsonReader reader, byte[] bytes, string source, string path, bool inList)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True or JsonTokenType.False:
                return reader.GetBoolean();
            case JsonTokenType.String:
                return reader.GetString()!;
            case JsonTokenType.Number:
                var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                if (text.AsSpan().IndexOfAny('.', 'e', 'E') < 0)
                {
                    // Boxed one by one: a conditional of int and long would make every integer a long.
                    return reader.TryGetInt32(out var i) ? (object)i
                        : reader.TryGetInt64(out var l) ? (object)l
                        : throw Problem(source, bytes, reader, path, $"the integer {text} does not fit in 64 bits.");
                }

                var d = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                return double.IsFinite(d) ? d : throw Problem(source, bytes, reader, path, $"the number {text} is too large.");
            default:
                var what = reader.TokenType == JsonTokenType.StartArray && inList ? "a list inside a list" : Kind(reader.TokenType);
                throw Problem(source, bytes, reader, path, $"wrong type: {what}; a value is {(inList ? "a bool, a number or a string" : Values)}.");
        }
    }

    private static string Kind(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "a list",
        JsonTokenType.Null => "null",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a bool",
        _ => token.ToString(),
    };

    private static SweepFileException Problem(string source, byte[] bytes, Utf8JsonReader at, string path, string problem)
    {
        var end = (int)Math.Min(at.TokenStartIndex, bytes.Length);
        var line = 1 + bytes.AsSpan(0, end).Count((byte)'\n');
        return new SweepFileException(source, line, path, problem);
    }
}
