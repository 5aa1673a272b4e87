using System.Globalization;
using CsvHelper;

namespace TinyDl.Reporters.Internal;

/// <summary>What an existing CSV log already holds: its header, its last epoch and how it ends.</summary>
/// <param name="Columns">The header's column names, in file order.</param>
/// <param name="LastEpoch">The largest epoch number in the file's rows; 0 when it has none.</param>
/// <param name="EndsWithNewLine">Whether the file ends with a line break (false after a torn last write).</param>
internal sealed record CsvFileHeader(string[] Columns, int LastEpoch, bool EndsWithNewLine)
{
    /// <summary>Reads the file at <paramref name="path"/> without changing it.</summary>
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

        stream.Seek(-1, SeekOrigin.End);
        var endsWithNewLine = stream.ReadByte() == '\n';
        stream.Seek(0, SeekOrigin.Begin);
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

        return new CsvFileHeader(columns, lastEpoch, endsWithNewLine);
    }
}
