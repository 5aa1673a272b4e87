using System.Globalization;
using CsvHelper;
using TinyDl.Reporters.Internal;

namespace TinyDl.Reporters;

/// <summary>
/// Writes one CSV row per epoch: <c>epoch</c>, every stage's metrics as <c>stage_metric</c> (stages in
/// <see cref="RunStarted.Stages"/> order, metrics in the order reported), then <c>duration</c> (the
/// epoch's seconds over all stages). A row is written when the epoch's last stage completes and is
/// synced to the disk at once, so a killed process leaves every completed epoch in the file; an epoch cut
/// short writes nothing. Numbers use the invariant culture and round-trip.
/// </summary>
/// <remarks>
/// A run that starts at epoch 1 over an existing file moves that file aside, as <c>metrics.previous-1.csv</c>
/// (the first free number), and starts a new one.
/// Append-safe across resume: when the file already has a header, its columns and their order are kept,
/// a metric missing from an epoch leaves an empty cell, and epochs up to the last one in the file are
/// not written again. A torn last line (the process was killed while writing it) is removed, so its
/// epoch is written again whole. The header is fixed by the first row. The file is opened at the first row and
/// closed when the run ends and on dispose. Handlers run on the training thread; not thread-safe.
/// </remarks>
public sealed class CsvReporter : Reporter
{
    /// <summary>The name of the epoch column.</summary>
    public const string EpochColumn = "epoch";

    /// <summary>The name of the duration column, in seconds.</summary>
    public const string DurationColumn = "duration";

    private readonly EpochCollector _epochs = new();
    private FileStream? _stream;
    private CsvWriter? _csv;
    private string[] _header = [];
    private int _lastEpoch;
    private int _firstEpoch = 1;

    /// <summary>Creates a reporter writing to <paramref name="path"/>; its directory is created when the first row is written.</summary>
    /// <param name="path">The CSV file; appended to when it exists.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public CsvReporter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The full path of the CSV file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e)
    {
        Close();
        _epochs.Start(e);
        _firstEpoch = e.Epoch;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The file's header lacks a column the run reports.</exception>
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (_epochs.Add(e) is not { } parts)
        {
            return;
        }

        var values = EpochCollector.Metrics(parts).ToDictionary(m => m.Column, m => m.Value.Value, StringComparer.Ordinal);
        values[DurationColumn] = parts.Sum(p => p.Duration.TotalSeconds);
        var csv = _csv ?? Open([EpochColumn, .. values.Keys.Where(k => k != DurationColumn), DurationColumn]);
        var missing = values.Keys.FirstOrDefault(k => Array.IndexOf(_header, k) < 0);
        if (missing is not null)
        {
            throw MissingColumn(missing, _header);
        }

        if (e.Epoch <= _lastEpoch)
        {
            return;
        }

        foreach (var column in _header)
        {
            if (column == EpochColumn)
            {
                csv.WriteField(e.Epoch, default);
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
        Flush();
        _lastEpoch = e.Epoch;
    }

    /// <inheritdoc />
    protected override void OnRunCompleted(RunCompleted e) => Close();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    private CsvWriter Open(string[] columns)
    {
        CsvFileHeader.RemoveTornLine(Path);
        var existing = CsvFileHeader.Read(Path);
        if (existing is not null && _firstEpoch == 1)
        {
            // A run started afresh over an earlier run's file: keep that file, under another name.
            File.Move(Path, PreviousPath());
            existing = null;
        }

        var missing = existing is null ? null : columns.FirstOrDefault(c => Array.IndexOf(existing.Columns, c) < 0);
        if (missing is not null)
        {
            throw MissingColumn(missing, existing!.Columns);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _csv = CsvWriter.Create(_stream, new CsvWriterOptions { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        _header = existing?.Columns ?? columns;
        _lastEpoch = existing?.LastEpoch ?? 0;
        if (existing is null)
        {
            _csv.WriteHeader(_header);
            Flush();
        }

        return _csv;
    }

    private string PreviousPath()
    {
        var stem = System.IO.Path.ChangeExtension(Path, null);
        var extension = System.IO.Path.GetExtension(Path);
        for (var n = 1; ; n++)
        {
            var candidate = $"{stem}.previous-{n}{extension}";
            if (!File.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    // Each row is synced to the disk at once (about 0.2 ms here), so neither a killed process nor a
    // crash of the machine loses a completed epoch.
    private void Flush()
    {
        _csv!.Flush();
        _stream!.Flush(flushToDisk: true);
    }

    private InvalidOperationException MissingColumn(string column, string[] header) => new(
        $"The CSV file '{Path}' has no column '{column}'; its columns are {string.Join(", ", header)}. " +
        "Write this run to another file, or report the metrics the file was started with.");

    private void Close()
    {
        _csv?.Dispose();
        _stream?.Dispose();
        _csv = null;
        _stream = null;
        _header = [];
        _lastEpoch = 0;
    }
}
