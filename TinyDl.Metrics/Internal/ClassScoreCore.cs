namespace TinyDl.Metrics.Internal;

/// <summary>The state and arithmetic shared by <see cref="Precision"/>, <see cref="Recall"/> and <see cref="F1Score"/>.</summary>
internal sealed class ClassScoreCore(string metric, string baseName, int numClasses, Average average, ScoreType type) : IDisposable
{
    private readonly ConfusionCounts _counts = new(metric, ConfusionCounts.CheckClasses(numClasses));

    public long Samples => _counts.Samples;

    public static string NameOf(string baseName, Average average) => average switch
    {
        Average.Binary => baseName,
        _ => $"{baseName}_{average.ToString().ToLowerInvariant()}",
    };

    public static Average Check(int numClasses, Average average) =>
        average == Average.Binary && numClasses != 2
            ? throw new ArgumentException($"Average.Binary reports the positive class of two; got {numClasses} classes.", nameof(average))
            : average;

    public void Update(BatchCompleted batch, double threshold, ScoreKind kind)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = TorchSharp.torch.NewDisposeScope();
        var (predicted, labels) = ClassLabels.Of(metric, batch, numClasses, threshold, kind);
        _counts.Add(predicted, labels);
    }

    public double Compute() => ClassScores.Averaged(_counts.Matrix(), type, average);

    public IEnumerable<MetricValue> Values(bool perClass)
    {
        var matrix = _counts.Matrix();
        yield return new MetricValue(metric, ClassScores.Averaged(matrix, type, average), true);
        if (perClass)
        {
            var scores = ClassScores.PerClass(matrix, type);
            for (var k = 0; k < scores.Length; k++)
            {
                yield return new MetricValue($"{baseName}_class_{k}", scores[k], true);
            }
        }
    }

    public void Reset() => _counts.Reset();

    public void Dispose() => _counts.Dispose();
}
