namespace TinyDl.Internal;

/// <summary>What one metric reports for an epoch: its values, its matrices, and a warning line when a value is undefined.</summary>
internal sealed record MetricReport(
    IReadOnlyList<MetricValue> Values,
    string? Warning,
    IReadOnlyList<KeyValuePair<string, MetricMatrix>> Matrices);
