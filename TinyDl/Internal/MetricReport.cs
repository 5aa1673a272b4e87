namespace TinyDl.Internal;

/// <summary>What one metric reports for an epoch: its values, its matrices, and a warning line when a value is undefined.</summary>
internal sealed record MetricReport(
    IReadOnlyList<MetricValue> Values,
    string? Warning,
    IReadOnlyList<KeyValuePair<string, MetricMatrix>> Matrices)
{
    /// <summary>Computes everything the epoch reports for <paramref name="metric"/>.</summary>
    /// <exception cref="UndefinedMetricException">A value is undefined and <see cref="Metric.FailWhenUndefined"/> is set.</exception>
    public static MetricReport Of(Metric metric)
    {
        MetricValue[] values;
        try
        {
            values = [.. metric.ComputeValues()];
        }
        catch (UndefinedMetricException e) when (!metric.FailWhenUndefined)
        {
            // A metric of several values should report each undefined one itself, so its names stay the same every epoch.
            values = [new MetricValue(metric.Name, double.NaN, metric.HigherIsBetter) { UndefinedReason = e.Reason }];
        }

        if (!metric.Ranked)
        {
            values = [.. values.Select(v => v with { Ranked = false })];
        }

        var undefined = values.Where(v => v.IsUndefined).ToArray();
        if (undefined.Length == 0)
        {
            return new MetricReport(values, null, [.. metric.ComputeMatrices()]);
        }

        var reasons = string.Join("; ", undefined.Select(v => v.UndefinedReason).Distinct(StringComparer.Ordinal));
        if (metric.FailWhenUndefined)
        {
            throw new UndefinedMetricException(metric.Name, reasons);
        }

        var names = string.Join(", ", undefined.Select(v => v.Name));
        return new MetricReport(values, $"{names} {(undefined.Length == 1 ? "is" : "are")} undefined, reported as NaN: {reasons}", []);
    }
}
