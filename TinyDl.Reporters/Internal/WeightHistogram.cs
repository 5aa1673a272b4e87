using Tensorboard;
using static TorchSharp.torch;

namespace TinyDl.Reporters.Internal;

/// <summary>TensorBoard's histogram of a tensor's values: 30 equal-width buckets between its minimum and maximum.</summary>
internal static class WeightHistogram
{
    public const int Buckets = 30;

    public static HistogramProto Of(Tensor tensor)
    {
        var values = HostTransfers.ToArray(tensor);
        var histogram = new HistogramProto { Num = values.Length };
        if (values.Length == 0)
        {
            return histogram;
        }

        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, squares = 0;
        foreach (var value in values)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
            sum += value;
            squares += value * value;
        }

        var width = (max - min) / Buckets;
        var counts = new double[Buckets];
        foreach (var value in values)
        {
            var bucket = width > 0 ? (int)((value - min) / width) : 0;
            counts[Math.Clamp(bucket, 0, Buckets - 1)]++;
        }

        histogram.Min = min;
        histogram.Max = max;
        histogram.Sum = sum;
        histogram.SumSquares = squares;
        for (var i = 0; i < Buckets; i++)
        {
            // A bucket's limit is its upper edge; the last one is the maximum itself.
            histogram.BucketLimit.Add(i == Buckets - 1 ? max : min + ((i + 1) * width));
            histogram.Bucket.Add(counts[i]);
        }

        return histogram;
    }
}
