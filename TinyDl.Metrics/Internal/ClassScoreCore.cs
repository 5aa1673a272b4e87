namespace TinyDl.Metrics.Internal;

/// <summary>The state and arithmetic shared by <see cref="Precision"/>, <see cref="Recall"/> and <see cref="F1Score"/>.</summary>
internal sealed class ClassScoreCore(string metric, int numClasses, Average average, ScoreType type) : IDisposable
{
    private readonly ConfusionCounts _counts = new(metric, ConfusionCounts.CheckClasses(numClasses));

    public long Samples => _counts.Samples;

    /// <summary>The default name: the score's and the average's, such as <c>f1_macro</c> or <c>precision_binary</c>.</summary>
    public static string NameOf(string baseName, Average average) => $"{baseName}_{average.ToString().ToLowerInvariant()}";

    public static Average Check(int numClasses, Average average) =>
        average == Average.Binary && numClasses != 2
            ? throw new ArgumentException($"Average.Binary reports the positive class of two; got {numClasses} classes.", nameof(average))
            : average;

    public void Update(BatchCompleted batch, double threshold, ScoreKind? kind)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = TorchSharp.torch.NewDisposeScope();
        _counts.Add(ClassLabels.Of(metric, batch, numClasses, threshold, kind));
    }

    public double Compute() => ClassScores.Averaged(_counts.Matrix(), type, average);

    public IEnumerable<MetricValue> Values(bool perClass)
    {
        var names = perClass ? [metric, .. Enumerable.Range(0, numClasses).Select(k => $"{metric}_class_{k}")] : new[] { metric };
        if (_counts.UndefinedReason() is { } reason)
        {
            return names.Select(n => new MetricValue(n, double.NaN, true) { UndefinedReason = reason });
        }

        var matrix = _counts.Matrix();
        double[] values = [ClassScores.Averaged(matrix, type, average), .. perClass ? ClassScores.PerClass(matrix, type) : []];
        return names.Select((n, i) => new MetricValue(n, values[i], true));
    }

    public void Reset() => _counts.Reset();

    public void Dispose() => _counts.Dispose();
}
