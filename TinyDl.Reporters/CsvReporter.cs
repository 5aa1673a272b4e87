using System.Globalization;
using CsvHelper;
using TinyDl.Reporters.Internal;

namespace TinyDl.Reporters;

/// <summary>
/// Writes one CSV row per epoch: <c>epoch</c>, every stage's metrics as <c>stage_metric</c> (stages in
/// <see cref="RunStarted.Stages"/> order, metrics in the order reported), then <c>duration</c> (the
/// epoch's seconds over all stages). A row is written when the epoch ends (<see cref="EpochEnded"/>) and is
/// synced to the disk at once, so a killed process leaves every completed epoch in the file; an epoch cut
/// short writes nothing. Numbers use the invariant culture and round-trip.
/// </summary>
/// <remarks>
/// A run that starts at epoch 1 over an existing file moves that file aside, as <c>metrics.previous-1.csv</c>
/// (the first free number), and starts a new one.
/// A resumed run makes the file hold exactly the epochs its checkpoint recorded (<see cref="RunStarted.History"/>),
/// each once: a missing or shorter file is rebuilt from the history, rows the checkpoint does not have (a
/// process killed after writing its row but before its checkpoint, a torn last line) are dropped, and the
/// header's columns and order are kept; the file is replaced atomically when it changes. A metric missing
/// from an epoch leaves an empty cell. The header is fixed by the first row. The file is closed when the
/// run ends and on dispose. Handlers run on the training thread; not thread-safe.
/// </remarks>
public sealed class CsvReporter : Reporter
{
    /// <summary>The name of the epoch column.</summary>
    public const string EpochColumn = "epoch";

    /// <summary>The name of the duration column, in seconds.</summary>
    public const string DurationColumn = "duration";

    private FileStream? _stream;
    private CsvWriter? _csv;
    private string[] _header = [];
    private int _lastEpoch;
    private int _firstEpoch = 1;
    private string[]? _resumedHeader;
    private IReadOnlyList<Stage> _endStages = [];

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
    /// <exception cref="InvalidOperationException">A resumed run's file lacks a column the run recorded.</exception>
    protected override void OnRunStarted(RunStarted e)
    {
        Close();
        _firstEpoch = e.Epoch;
        _endStages = e.EndStages;
        _resumedHeader = e.History.Count > 0 ? CsvHistory.Rebuild(Path, e.History, e.Stages, MissingColumn) : null;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The file's header lacks a column the run reports.</exception>
    protected override void OnEpochEnded(EpochEnded e)
    {
        var parts = e.Stages;
        var values = EpochColumns.Of(parts).ToDictionary(m => m.Column, m => m.Value.Value, StringComparer.Ordinal);
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
    /// <remarks>An end-of-run stage (a test set, <see cref="RunStarted.EndStages"/>) adds its values as
    /// <c>test_*</c> columns to the row of the last epoch; the file is rewritten atomically.</remarks>
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (!_endStages.Contains(e.Stage) || !File.Exists(Path))
        {
            return;
        }

        Close();
        CsvHistory.AddToRow(Path, e.Epoch, [.. e.Metrics.Select(m => (e.Stage.MetricKey(m.Name), m.Value))]);
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
        if (existing is not null && _firstEpoch == 1 && _resumedHeader is null)
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
