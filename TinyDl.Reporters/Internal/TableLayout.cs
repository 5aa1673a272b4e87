using System.Globalization;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// The fixed-width columns of the console table, fixed by the first epoch. Metric columns keep one
/// character after the number for the best marker; which values are best the run says (<see cref="EpochCompleted.IsBest"/>).
/// </summary>
internal sealed class TableLayout
{
    /// <summary>The name of the epoch column.</summary>
    public const string EpochColumn = "epoch";

    /// <summary>The name of the duration column (as in the CSV file).</summary>
    public const string DurationColumn = "duration";

    /// <summary>The name of the samples-per-second column.</summary>
    public const string SamplesColumn = "samples/s";

    private const string Gap = "  ";
    private const int NumberWidth = 6;
    private readonly List<Column> _columns;

    private TableLayout(List<Column> columns) => _columns = columns;

    /// <summary>Creates the layout from the first complete epoch.</summary>
    public static TableLayout Create(IReadOnlyList<EpochCompleted> parts, IReadOnlySet<string> hidden, bool samplesPerSecond)
    {
        var columns = new List<Column> { new(EpochColumn, ColumnKind.Epoch, Math.Max(EpochColumn.Length, 5)) };
        columns.AddRange(EpochColumns.Of(parts)
            .Select(m => new Column(m.Column, ColumnKind.Metric, Math.Max(m.Column.Length, NumberWidth + 1))));
        if (samplesPerSecond)
        {
            columns.Add(new Column(SamplesColumn, ColumnKind.Samples, SamplesColumn.Length));
        }

        columns.Add(new Column(DurationColumn, ColumnKind.Duration, Math.Max(DurationColumn.Length, NumberWidth)));
        return new TableLayout(columns.Where(c => !hidden.Contains(c.Name)).ToList());
    }

    /// <summary>The header line: column names, right-aligned.</summary>
    public string Header => string.Join(Gap, _columns.Select(c => c.Name.PadLeft(c.Width)));

    /// <summary>The line under the header: dashes as wide as each column.</summary>
    public string Rule => string.Join(Gap, _columns.Select(c => new string('-', c.Width)));

    /// <summary>
    /// Formats one epoch's row as segments to write in order; segments flagged best hold a metric
    /// value that set the run's best.
    /// </summary>
    /// <param name="epoch">The epoch.</param>
    /// <param name="parts">The epoch's stages.</param>
    /// <param name="marker">The character written after a best value ('*'), or ' ' when best values are coloured instead.</param>
    public IReadOnlyList<(string Text, bool Best)> Row(int epoch, IReadOnlyList<EpochCompleted> parts, char marker)
    {
        var metrics = EpochColumns.Of(parts).ToDictionary(m => m.Column, m => (m.Value, m.Best), StringComparer.Ordinal);
        var seconds = parts.Sum(p => p.Duration.TotalSeconds);
        var samples = parts.Sum(p => p.Samples);
        var segments = new List<(string Text, bool Best)>();
        var pending = string.Empty;
        foreach (var column in _columns)
        {
            pending += pending.Length == 0 && segments.Count == 0 ? string.Empty : Gap;
            switch (column.Kind)
            {
                case ColumnKind.Epoch:
                    pending += epoch.ToString(CultureInfo.InvariantCulture).PadLeft(column.Width);
                    break;
                case ColumnKind.Samples:
                    pending += (seconds > 0 ? (samples / seconds).ToString("F0", CultureInfo.InvariantCulture) : string.Empty).PadLeft(column.Width);
                    break;
                case ColumnKind.Duration:
                    pending += seconds.ToString("F2", CultureInfo.InvariantCulture).PadLeft(column.Width);
                    break;
                default:
                    if (!metrics.TryGetValue(column.Name, out var value))
                    {
                        pending += new string(' ', column.Width);
                        break;
                    }

                    var text = value.Value.Value.ToString("F4", CultureInfo.InvariantCulture);
                    pending += new string(' ', Math.Max(0, column.Width - 1 - text.Length));
                    if (!value.Best)
                    {
                        pending += text + " ";
                        break;
                    }

                    segments.Add((pending, false));
                    segments.Add((text, true));
                    pending = marker.ToString();
                    break;
            }
        }

        pending = pending.TrimEnd();
        if (pending.Length > 0)
        {
            segments.Add((pending, false));
        }

        return segments;
    }

    private enum ColumnKind
    {
        Epoch,
        Metric,
        Samples,
        Duration,
    }

    private sealed record Column(string Name, ColumnKind Kind, int Width);
}
