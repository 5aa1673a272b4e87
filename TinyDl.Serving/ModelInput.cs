namespace TinyDl.Serving;

/// <summary>
/// N samples for a model: float32 values in row-major order and their shape [N, ..sample shape]. What a
/// decoder returns and <see cref="ServedModel.PredictAsync"/> takes. Immutable once created (the
/// array is not copied: do not change it afterwards).
/// </summary>
public sealed class ModelInput
{
    /// <summary>Creates an input.</summary>
    /// <param name="data">The values, row-major; as many as the product of <paramref name="shape"/>.</param>
    /// <param name="shape">The shape, the batch dimension N first.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The shape has fewer than two dimensions or a size below 1, or the data's length is not the shape's element count.</exception>
    public ModelInput(float[] data, params IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count < 2 || shape.Any(size => size < 1))
        {
            throw new ArgumentException($"The shape [{string.Join(", ", shape)}] must be [N, ..sample shape] with every size 1 or more.", nameof(shape));
        }

        var count = shape.Aggregate(1L, (product, size) => product * size);
        if (count != data.Length)
        {
            throw new ArgumentException($"The shape [{string.Join(", ", shape)}] holds {count} values but {data.Length} were given.", nameof(data));
        }

        Values = data;
        Shape = [.. shape];
    }

    /// <summary>The values in row-major order.</summary>
    public ReadOnlyMemory<float> Data => Values;

    /// <summary>The shape, the batch dimension first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The number of samples N, the first dimension of <see cref="Shape"/>.</summary>
    public int Samples => Shape[0];

    internal float[] Values { get; }
}
