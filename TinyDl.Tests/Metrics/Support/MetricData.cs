using TinyDl.Metrics;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics.Support;

/// <summary>Seeded random data and a driver that feeds a metric batch by batch, as a stage would.</summary>
internal static class MetricData
{
    /// <summary>Uneven batch sizes (46 samples) ending with a batch of one sample.</summary>
    public static readonly int[] UnevenSizes = [17, 5, 23, 1];

    public static float[] Normal(int count, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (float)(scale * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
    }

    public static long[] Labels(int count, int classes, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(classes))];
    }

    public static Tensor Matrix(float[] values, int columns) => tensor(values, [values.Length / columns, columns]);

    public static Tensor OneHot(long[] labels, int classes)
    {
        var values = new float[labels.Length * classes];
        for (var i = 0; i < labels.Length; i++)
        {
            values[(i * classes) + labels[i]] = 1;
        }

        return tensor(values, [labels.Length, classes]);
    }

    public static BatchCompleted Batch(Tensor output, Tensor target, Tensor? loss = null, int batch = 1) =>
        new(Stage.Validation, 1, 0, TimeSpan.Zero, batch, output.Dimensions == 0 ? 1 : output.size(0), output, target, output, loss);

    /// <summary>Resets the metric, feeds it the rows of output and target in batches of the given sizes, and computes it.</summary>
    public static double Run(Metric metric, Tensor output, Tensor target, params int[] sizes)
    {
        Feed(metric, output, target, sizes);
        return metric.Compute();
    }

    public static void Feed(Metric metric, Tensor output, Tensor target, params int[] sizes)
    {
        metric.Reset();
        long start = 0;
        var number = 1;
        foreach (var size in sizes)
        {
            using var scope = NewDisposeScope();
            metric.Update(Batch(output.narrow(0, start, size), target.narrow(0, start, size), batch: number++));
            start += size;
        }

        Assert.That(start, Is.EqualTo(output.size(0)), "The batch sizes must cover the data.");
    }

    /// <summary>Batches of <paramref name="size"/> covering <paramref name="count"/> samples; the last may be shorter.</summary>
    public static int[] Sizes(int count, int size) =>
        [.. Enumerable.Range(0, (count + size - 1) / size).Select(i => Math.Min(size, count - (i * size)))];
}
