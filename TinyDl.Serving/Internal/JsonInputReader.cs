using System.Text.Json;

namespace TinyDl.Serving.Internal;

/// <summary>
/// Reads a JSON prediction request, <c>{"inputs": [{"shape": [N, ...], "data": [...]}]}</c>: one tensor
/// by position or by name (<c>{"inputs": {"input": ...}}</c>), its data flat with its shape or nested
/// (the shape then follows from the nesting). Every problem names its JSON path.
/// </summary>
internal static class JsonInputReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };

    public static ModelInput Read(ReadOnlyMemory<byte> body, ModelServingOptions options)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, DocumentOptions);
        }
        catch (JsonException error)
        {
            throw new ModelInputException("body", $"is not valid JSON ({error.Message})", Example(options));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ModelInputException("$", $"is {Kind(root)}", Example(options));
            }

            JsonElement? inputs = null;
            foreach (var property in root.EnumerateObject())
            {
                inputs = property.NameEquals("inputs") ? property.Value : throw new ModelInputException(property.Name, "is not a field of a prediction request", "only \"inputs\"");
            }

            var (tensor, path) = inputs is { } given ? Single(given, options) : throw new ModelInputException("inputs", "is missing", Example(options));
            return TensorReader.Read(tensor, path, options);
        }
    }

    public static string Example(ModelServingOptions options) =>
        $"{{\"inputs\": [{{\"shape\": [N, {string.Join(", ", options.InputShape)}], \"data\": [N x {options.SampleSize} numbers]}}]}}";

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    // The model takes one input: an array of one tensor, or an object with the input's name.
    private static (JsonElement Tensor, string Path) Single(JsonElement inputs, ModelServingOptions options)
    {
        var one = $"one tensor: [{{\"shape\": [...], \"data\": [...]}}] or {{\"{options.InputName}\": {{...}}}}";
        switch (inputs.ValueKind)
        {
            case JsonValueKind.Array when inputs.GetArrayLength() == 1:
                return (inputs[0], "inputs[0]");
            case JsonValueKind.Array:
                throw new ModelInputException("inputs", $"holds {inputs.GetArrayLength()} tensors, but the model takes one input", one);
            case JsonValueKind.Object:
                foreach (var property in inputs.EnumerateObject())
                {
                    if (!property.NameEquals(options.InputName))
                    {
                        throw new ModelInputException($"inputs.{property.Name}", "is not an input of the model", $"the model's only input, \"{options.InputName}\"");
                    }
                }

                return inputs.TryGetProperty(options.InputName, out var named)
                    ? (named, $"inputs.{options.InputName}")
                    : throw new ModelInputException("inputs", "is an empty object", one);
            default:
                throw new ModelInputException("inputs", $"is {Kind(inputs)}", one);
        }
    }
}
