using System.Globalization;
using System.Text;

namespace TinyDl.Board.Internal;

/// <summary>
/// A run's <c>metrics.csv</c>, read incrementally: each read parses only the bytes appended since the last
/// (complete lines only; a torn last line waits for its end). A file that shrank or was replaced by an
/// older one (a resumed run rebuilds it atomically) is read again from the start. Only regular files are
/// opened, so a FIFO or device never blocks the board. Thread-safe.
/// </summary>
internal sealed class MetricsFile(string path)
{
    public const string FileName = "metrics.csv";
    private readonly Lock _gate = new();
    private readonly List<double[]> _rows = [];
    private readonly List<byte> _partial = [];
    private string[] _header = [];
    private long _offset;
    private DateTime _written;

    /// <summary>The header and the rows read so far, after reading what was appended.</summary>
    public (string[] Header, double[][] Rows) Read()
    {
        lock (_gate)
        {
            Refresh();
            return (_header, [.. _rows]);
        }
    }

    /// <summary>The file's current length, without reading it; -1 when it is missing or not a regular file.</summary>
    public static long LengthOf(string path) => SafeFile.IsRegularFile(path) ? new FileInfo(path).Length : -1;

    private void Refresh()
    {
        var info = new FileInfo(path);
        if (!SafeFile.IsRegularFile(path))
        {
            Reset();
            return;
        }

        if (info.Length < _offset || info.LastWriteTimeUtc < _written)
        {
            Reset();
        }

        if (info.Length == _offset)
        {
            return;
        }

        byte[] appended;
        try
        {
            using var stream = SafeFile.OpenRead(path);
            stream.Seek(_offset, SeekOrigin.Begin);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            appended = memory.ToArray();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return;
        }

        _offset += appended.Length;
        _written = info.LastWriteTimeUtc;
        var start = 0;
        for (var i = 0; i < appended.Length; i++)
        {
            if (appended[i] != (byte)'\n')
            {
                continue;
            }

            _partial.AddRange(appended.AsSpan(start, i - start));
            Line(Encoding.UTF8.GetString([.. _partial]).TrimEnd('\r'));
            _partial.Clear();
            start = i + 1;
        }

        _partial.AddRange(appended.AsSpan(start));
    }

    private void Line(string line)
    {
        if (line.Length == 0)
        {
            return;
        }

        var cells = line.Split(',');
        if (_header.Length == 0)
        {
            _header = cells;
            return;
        }

        var row = new double[_header.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = i < cells.Length && double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
        }

        _rows.Add(row);
    }

    private void Reset()
    {
        _rows.Clear();
        _partial.Clear();
        _header = [];
        _offset = 0;
        _written = default;
    }
}
