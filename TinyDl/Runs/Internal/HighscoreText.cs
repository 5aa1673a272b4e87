namespace TinyDl.Runs.Internal;

/// <summary>Escaping for the text forms of a highscore ranking.</summary>
internal static class HighscoreText
{
    private static readonly char[] CsvSpecial = [',', '"', '\n', '\r'];

    public static string Csv(string cell) =>
        cell.IndexOfAny(CsvSpecial) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    public static string Markdown(string cell) =>
        cell.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    /// <summary>Names for a message: all of them up to 20, else the first 20 and how many more.</summary>
    public static string List(IEnumerable<string> names)
    {
        var all = names.ToList();
        return all.Count <= 20 ? string.Join(", ", all) : $"{string.Join(", ", all.Take(20))} and {all.Count - 20:N0} more";
    }
}
