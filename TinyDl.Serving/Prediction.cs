namespace TinyDl.Serving;

/// <summary>A model's answer for the samples of one request: its outputs and, for a classifier, the class probabilities.</summary>
public sealed class Prediction
{
    private readonly IReadOnlyList<string>? _labels;

    internal Prediction(float[] outputs, int[] outputShape, float[]? probabilities, IReadOnlyList<string>? labels)
    {
        Outputs = outputs;
        OutputShape = outputShape;
        Probabilities = probabilities;
        _labels = labels;
    }

    /// <summary>The model's outputs for the request's samples, row-major, float32 exactly as the model computed them.</summary>
    public ReadOnlyMemory<float> Outputs { get; }

    /// <summary>The outputs' shape, the request's N first.</summary>
    public IReadOnlyList<int> OutputShape { get; }

    /// <summary>For a classifier, the probabilities [N, classes] row-major; null otherwise.</summary>
    public ReadOnlyMemory<float>? Probabilities { get; }

    /// <summary>The number of samples N.</summary>
    public int Samples => OutputShape[0];

    /// <summary>The <paramref name="k"/> most probable classes of one sample, most probable first (ties: lower index first).</summary>
    /// <param name="sample">The sample's index in the request, from 0.</param>
    /// <param name="k">How many classes; at most the number of classes are returned.</param>
    /// <returns>The classes with their probabilities.</returns>
    /// <exception cref="InvalidOperationException">The model is not served as a classifier (no <see cref="ModelServingOptions.Labels"/>).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sample"/> is outside the request, or <paramref name="k"/> is not positive.</exception>
    public IReadOnlyList<ClassScore> Top(int sample, int k)
    {
        if (Probabilities is not { } probabilities || _labels is null)
        {
            throw new InvalidOperationException("The model is not served as a classifier; set ModelServingOptions.Labels to get classes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(sample);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(sample, Samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var classes = _labels.Count;
        var row = probabilities.Span.Slice(sample * classes, classes);
        var order = Enumerable.Range(0, classes).ToArray();
        var values = row.ToArray();

        // Stable: equal probabilities keep the lower class index first.
        var ranked = order.OrderByDescending(i => values[i]).ThenBy(i => i).Take(k);
        return [.. ranked.Select(i => new ClassScore(i, _labels[i], values[i]))];
    }
}
