using System.Globalization;
using CsvHelper;

namespace TinyDl.Reporters.Internal;

/// <summary>What an existing CSV log already holds: its header and its last epoch.</summary>
/// <param name="Columns">The header's column names, in file order.</param>
/// <param name="LastEpoch">The largest epoch number in the file's rows; 0 when it has none.</param>
internal sealed record CsvFileHeader(string[] Columns, int LastEpoch)
{
    /// <summary>
    /// Cuts a torn last line (a write the process was killed in the middle of) off the end of the file,
    /// so that the epoch it held is written again, whole. Complete lines are never touched.
    /// </summary>
    /// <returns>True when a torn line was removed.</returns>
    public static bool RemoveTornLine(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        var length = stream.Length;
        var end = length;
        while (end > 0)
        {
            stream.Seek(end - 1, SeekOrigin.Begin);
            if (stream.ReadByte() == '\n')
            {
                break;
            }

            end--;
        }

        if (end == length)
        {
            return false;
        }

        stream.SetLength(end);
        stream.Flush(flushToDisk: true);
        return true;
    }

    /// <summary>Reads the file at <paramref name="path"/> without changing it; call <see cref="RemoveTornLine"/> first.</summary>
    /// <returns>Its header and last epoch; null when the file does not exist or has no header.</returns>
    public static CsvFileHeader? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0)
        {
            return null;
        }

        using var csv = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', FormatProvider = CultureInfo.InvariantCulture }, leaveOpen: true);
        csv.ReadHeader();
        var columns = csv.Headers.ToArray();
        if (columns.Length == 0)
        {
            return null;
        }

        var epochIndex = Array.IndexOf(columns, CsvReporter.EpochColumn);
        var lastEpoch = 0;
        while (epochIndex >= 0 && csv.Read())
        {
            if (csv.TryParse<int>(epochIndex, out var epoch))
            {
                lastEpoch = Math.Max(lastEpoch, epoch);
            }
        }

        return new CsvFileHeader(columns, lastEpoch);
    }
}
