using System.Globalization;
using CsvHelper;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// Makes a resumed run's CSV file hold exactly the epochs its checkpoint recorded, each once: a missing or
/// shorter file is rebuilt from the history, rows of epochs the checkpoint does not have (written by a
/// process killed before its checkpoint, or by a branch abandoned for an earlier checkpoint) are dropped,
/// and a torn last line is gone. Rows of recorded epochs keep their own duration; their metric values are
/// written from the history, which holds the same numbers.
/// </summary>
internal static class CsvHistory
{
    /// <summary>Rebuilds the file when it differs from the history; returns its columns.</summary>
    public static string[] Rebuild(string path, IReadOnlyList<EpochSummary> history, IReadOnlyList<Stage> stages, Func<string, string[], Exception> missingColumn)
    {
        var (header, durations, epochs) = Read(path);
        var columns = header ?? [CsvReporter.EpochColumn, .. EpochColumns.Of(history[0], stages).Select(c => c.Column), CsvReporter.DurationColumn];
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true))
        {
            csv.WriteHeader(columns);
            foreach (var epoch in history)
            {
                var values = EpochColumns.Of(epoch, stages).ToDictionary(c => c.Column, c => c.Value.Value, StringComparer.Ordinal);
                if (values.Keys.FirstOrDefault(k => Array.IndexOf(columns, k) < 0) is { } missing)
                {
                    throw missingColumn(missing, columns);
                }

                foreach (var column in columns)
                {
                    if (column == CsvReporter.EpochColumn)
                    {
                        csv.WriteField(epoch.Epoch, default);
                    }
                    else if (column == CsvReporter.DurationColumn)
                    {
                        csv.WriteField(durations.TryGetValue(epoch.Epoch, out var text) ? text : epoch.Duration.TotalSeconds.ToString("R", CultureInfo.InvariantCulture));
                    }
                    else if (values.TryGetValue(column, out var value))
                    {
                        csv.WriteField(value, "R");
                    }
                    else
                    {
                        csv.WriteField((string?)null);
                    }
                }

                csv.EndRecord();
            }
        }

        var rebuilt = buffer.ToArray();
        if (header is null || !epochs.SequenceEqual(history.Select(h => h.Epoch)) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(rebuilt))
        {
            AtomicFile.Write(path, rebuilt);
        }

        return columns;
    }

    /// <summary>
    /// Adds an end-of-run stage's values (a test set's) to the row of <paramref name="epoch"/>, as columns
    /// of their own before <c>duration</c> (other rows leave them empty); replaces the file atomically.
    /// </summary>
    public static void AddToRow(string path, int epoch, IReadOnlyList<(string Column, double Value)> values)
    {
        List<string?[]> rows = [];
        string[] header;
        using (var stream = SafeFile.OpenRead(path))
        using (var csv = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true))
        {
            csv.ReadHeader();
            header = csv.Headers.ToArray();
            while (csv.Read())
            {
                rows.Add([.. Enumerable.Range(0, header.Length).Select(i => i < csv.FieldCount ? csv.GetString(i) : null)]);
            }
        }

        var columns = header.ToList();
        var at = columns.IndexOf(CsvReporter.DurationColumn) is var d and >= 0 ? d : columns.Count;
        foreach (var (column, _) in values)
        {
            if (!columns.Contains(column))
            {
                columns.Insert(at++, column);
            }
        }

        var epochIndex = Array.IndexOf(header, CsvReporter.EpochColumn);
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, new CsvWriterOptions { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true))
        {
            csv.WriteHeader([.. columns]);
            foreach (var row in rows)
            {
                var isEpoch = epochIndex >= 0 && row[epochIndex] == epoch.ToString(CultureInfo.InvariantCulture);
                foreach (var column in columns)
                {
                    var known = Array.IndexOf(header, column);
                    var added = values.FirstOrDefault(v => v.Column == column);
                    if (isEpoch && added.Column is not null)
                    {
                        csv.WriteField(added.Value, "R");
                    }
                    else
                    {
                        csv.WriteField(known >= 0 ? row[known] : null);
                    }
                }

                csv.EndRecord();
            }
        }

        AtomicFile.Write(path, buffer.ToArray());
    }

    private static (string[]? Header, Dictionary<int, string> Durations, List<int> Epochs) Read(string path)
    {
        var durations = new Dictionary<int, string>();
        var epochs = new List<int>();
        if (!File.Exists(path))
        {
            return (null, durations, epochs);
        }

        using var stream = SafeFile.OpenRead(path);
        if (stream.Length == 0)
        {
            return (null, durations, epochs);
        }

        using var csv = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.ReadHeader();
        var columns = csv.Headers.ToArray();
        var epochIndex = Array.IndexOf(columns, CsvReporter.EpochColumn);
        var durationIndex = Array.IndexOf(columns, CsvReporter.DurationColumn);
        if (columns.Length == 0 || epochIndex < 0)
        {
            return (null, durations, epochs);
        }

        while (csv.Read())
        {
            if (csv.TryParse<int>(epochIndex, out var epoch))
            {
                epochs.Add(epoch);
                if (durationIndex >= 0 && durationIndex < csv.FieldCount && csv.GetString(durationIndex) is { } duration
                    && double.TryParse(duration, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    durations[epoch] = duration;
                }
            }
        }

        return (columns, durations, epochs);
    }
}
