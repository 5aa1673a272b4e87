using System.Globalization;

namespace TinyDl.Serving.Internal;

/// <summary>The checks every input passes before it is queued: shape against the model's, sample count, non-finite values.</summary>
internal static class InputChecks
{
    public static string ExpectedShape(ModelServingOptions options) =>
        $"[N, {string.Join(", ", options.InputShape)}] with 1 <= N <= {options.MaxBatchSize}";

    public static void CheckShape(IReadOnlyList<int> shape, ModelServingOptions options, string field)
    {
        var sample = options.InputShape;
        if (shape.Count != sample.Count + 1 || !shape.Skip(1).SequenceEqual(sample) || shape[0] < 1)
        {
            throw new ModelInputException(field, $"is [{string.Join(", ", shape)}]", $"float32 samples of shape {ExpectedShape(options)}");
        }

        if (shape[0] > options.MaxBatchSize)
        {
            throw new ModelInputException(field, $"holds {shape[0]} samples, more than one request may (ModelServingOptions.MaxBatchSize)", ExpectedShape(options));
        }
    }

    public static void CheckFinite(float[] data, IReadOnlyList<int> shape, ModelServingOptions options, string field)
    {
        if (options.NonFinite == NonFiniteInputs.Allow)
        {
            return;
        }

        for (var i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                throw new ModelInputException(
                    $"{field}{Indices(i, shape)}",
                    $"is {data[i].ToString(CultureInfo.InvariantCulture)}; NaN and infinite inputs are refused (ModelServingOptions.NonFinite)",
                    "a finite number");
            }
        }
    }

    // The flat index i as [n][..] indices of a row-major array of this shape.
    private static string Indices(int i, IReadOnlyList<int> shape)
    {
        var indices = new int[shape.Count];
        for (var d = shape.Count - 1; d >= 0; d--)
        {
            indices[d] = i % shape[d];
            i /= shape[d];
        }

        return string.Concat(indices.Select(index => $"[{index}]"));
    }
}
