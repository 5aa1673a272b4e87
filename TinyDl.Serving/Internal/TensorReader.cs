using System.Text.Json;

namespace TinyDl.Serving.Internal;

/// <summary>Reads one tensor of a JSON request: <c>{"name"?, "shape"?, "data"}</c> or a bare nested array, into float32 values and a shape.</summary>
internal static class TensorReader
{
    public static ModelInput Read(JsonElement tensor, string path, ModelServingOptions options)
    {
        JsonElement? shapeElement = null;
        JsonElement data;
        var dataPath = $"{path}.data";
        if (tensor.ValueKind == JsonValueKind.Array)
        {
            data = tensor;
            dataPath = path;
        }
        else if (tensor.ValueKind == JsonValueKind.Object)
        {
            JsonElement? found = null;
            foreach (var property in tensor.EnumerateObject())
            {
                if (property.NameEquals("shape"))
                {
                    shapeElement = property.Value;
                }
                else if (property.NameEquals("data"))
                {
                    found = property.Value;
                }
                else if (property.NameEquals("name"))
                {
                    CheckName(property.Value, $"{path}.name", options);
                }
                else
                {
                    throw new ModelInputException($"{path}.{property.Name}", "is not a field of a tensor", "\"shape\", \"data\" and optionally \"name\"");
                }
            }

            data = found ?? throw new ModelInputException(dataPath, "is missing", $"the samples' values, flat with \"shape\" or as nested arrays");
        }
        else
        {
            throw new ModelInputException(path, $"is {JsonInputReader.Kind(tensor)}", "a tensor {\"shape\": [...], \"data\": [...]}");
        }

        var given = shapeElement is { } s ? Shape(s, $"{path}.shape") : null;
        if (given is not null)
        {
            InputChecks.CheckShape(given, options, $"{path}.shape");
        }

        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new ModelInputException(dataPath, $"is {JsonInputReader.Kind(data)}", "an array of numbers");
        }

        var nested = data.GetArrayLength() > 0 && data[0].ValueKind == JsonValueKind.Array;
        if (!nested && given is null)
        {
            throw new ModelInputException($"{path}.shape", "is missing, and the data is flat", $"the shape of the flat data, {InputChecks.ExpectedShape(options)}, or nested data");
        }

        var shape = given ?? Nesting(data, dataPath);
        if (given is null)
        {
            InputChecks.CheckShape(shape, options, dataPath);
        }

        var values = new float[shape.Aggregate(1, (product, size) => product * size)];
        var filled = nested ? ReadNested(data, dataPath, shape, 0, values, 0, options) : ReadFlat(data, dataPath, values, shape, options);
        return filled == values.Length
            ? new ModelInput(values, shape)
            : throw new ModelInputException(dataPath, $"holds {filled} numbers", $"{values.Length} for shape [{string.Join(", ", shape)}]");
    }

    private static void CheckName(JsonElement name, string path, ModelServingOptions options)
    {
        if (name.ValueKind != JsonValueKind.String || !name.ValueEquals(options.InputName))
        {
            throw new ModelInputException(path, $"is {(name.ValueKind == JsonValueKind.String ? $"\"{name.GetString()}\"" : JsonInputReader.Kind(name))}", $"the model's input name \"{options.InputName}\" (or no name)");
        }
    }

    private static int[] Shape(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() is 0 or > 16)
        {
            throw new ModelInputException(path, $"is {JsonInputReader.Kind(element)}{(element.ValueKind == JsonValueKind.Array ? $" of {element.GetArrayLength()} sizes" : "")}", "an array of 1 to 16 positive whole numbers");
        }

        var shape = new int[element.GetArrayLength()];
        for (var i = 0; i < shape.Length; i++)
        {
            var size = element[i];
            shape[i] = size.ValueKind == JsonValueKind.Number && size.TryGetInt32(out var value) && value > 0
                ? value
                : throw new ModelInputException($"{path}[{i}]", $"is {(size.ValueKind == JsonValueKind.Number ? size.GetRawText() : JsonInputReader.Kind(size))}", "a positive whole number");
        }

        return shape;
    }

    // The shape of nested arrays, from the first element at each depth; ReadNested checks the others.
    private static int[] Nesting(JsonElement data, string path)
    {
        var shape = new List<int>();
        var element = data;
        while (element.ValueKind == JsonValueKind.Array)
        {
            if (shape.Count == 16 || element.GetArrayLength() == 0)
            {
                throw new ModelInputException(path, shape.Count == 16 ? "is nested more than 16 deep" : "holds an empty array", "a rectangular array of numbers");
            }

            shape.Add(element.GetArrayLength());
            element = element[0];
        }

        return [.. shape];
    }

    private static int ReadFlat(JsonElement data, string path, float[] values, int[] shape, ModelServingOptions options)
    {
        var length = data.GetArrayLength();
        if (length != values.Length)
        {
            throw new ModelInputException(path, $"holds {length} numbers", $"{values.Length} for shape [{string.Join(", ", shape)}]");
        }

        var i = 0;
        foreach (var element in data.EnumerateArray())
        {
            values[i] = Number(element, path, i, options);
            i++;
        }

        return i;
    }

    private static int ReadNested(JsonElement data, string path, int[] shape, int depth, float[] values, int offset, ModelServingOptions options)
    {
        if (data.ValueKind != JsonValueKind.Array || data.GetArrayLength() != shape[depth])
        {
            var found = data.ValueKind == JsonValueKind.Array ? $"holds {data.GetArrayLength()} elements" : $"is {JsonInputReader.Kind(data)}";
            throw new ModelInputException(path, found, $"an array of {shape[depth]}, as the first array at this depth (a rectangular array of shape [{string.Join(", ", shape)}])");
        }

        var i = 0;
        foreach (var element in data.EnumerateArray())
        {
            if (depth == shape.Length - 1)
            {
                values[offset++] = Number(element, path, i, options);
            }
            else
            {
                offset = ReadNested(element, $"{path}[{i}]", shape, depth + 1, values, offset, options);
            }

            i++;
        }

        return offset;
    }

    private static float Number(JsonElement element, string path, int index, ModelServingOptions options)
    {
        var allow = options.NonFinite == NonFiniteInputs.Allow;
        switch (element.ValueKind)
        {
            case JsonValueKind.Number when element.TryGetSingle(out var value) && float.IsFinite(value):
                return value;
            case JsonValueKind.Number when allow:
                return element.GetRawText().StartsWith('-') ? float.NegativeInfinity : float.PositiveInfinity;
            case JsonValueKind.Number:
                throw new ModelInputException($"{path}[{index}]", $"is {element.GetRawText()}, beyond float32's range (about 3.4e38); infinite inputs are refused (ModelServingOptions.NonFinite)", "a finite float32 number");
            case JsonValueKind.String when NonFinite(element) is { } special:
                return allow ? special : throw new ModelInputException($"{path}[{index}]", $"is \"{element.GetString()}\"; NaN and infinite inputs are refused (ModelServingOptions.NonFinite)", "a finite number");
            case JsonValueKind.String:
                var text = element.GetString()!;
                throw new ModelInputException($"{path}[{index}]", $"is the string \"{(text.Length > 20 ? text[..20] + "..." : text)}\"", "a number");
            default:
                throw new ModelInputException($"{path}[{index}]", $"is {JsonInputReader.Kind(element)}", "a number");
        }
    }

    private static float? NonFinite(JsonElement element) =>
        element.ValueEquals("NaN") ? float.NaN
        : element.ValueEquals("Infinity") ? float.PositiveInfinity
        : element.ValueEquals("-Infinity") ? float.NegativeInfinity
        : null;
}
