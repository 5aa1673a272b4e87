namespace TinyDl.Board.Internal;

/// <summary>One curve: a run's column (<c>validation_loss</c>) as (x, y) points, possibly downsampled from <see cref="Total"/> points.</summary>
internal sealed record Series(string Run, string Column, IReadOnlyList<(double X, double Y)> Points, int Total)
{
    public bool Downsampled => Points.Count < Total;

    /// <summary>
    /// At most <paramref name="max"/> points of <paramref name="points"/>: the first, the last, and in each of
    /// max / 2 - 1 buckets the lowest and the highest value in x order, so spikes survive.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)> Downsample(IReadOnlyList<(double X, double Y)> points, int max)
    {
        if (points.Count <= max)
        {
            return points;
        }

        var kept = new List<(double X, double Y)>(max) { points[0] };
        var buckets = (max / 2) - 1;
        var inner = points.Count - 2;
        for (var b = 0; b < buckets; b++)
        {
            var start = 1 + (int)((long)b * inner / buckets);
            var end = 1 + (int)((long)(b + 1) * inner / buckets);
            if (end <= start)
            {
                continue;
            }

            int low = start, high = start;
            for (var i = start; i < end; i++)
            {
                if (points[i].Y < points[low].Y)
                {
                    low = i;
                }

                if (points[i].Y > points[high].Y)
                {
                    high = i;
                }
            }

            kept.Add(points[Math.Min(low, high)]);
            if (low != high)
            {
                kept.Add(points[Math.Max(low, high)]);
            }
        }

        kept.Add(points[^1]);
        return kept;
    }
}
