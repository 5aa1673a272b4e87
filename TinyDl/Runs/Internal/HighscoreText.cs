namespace TinyDl.Runs.Internal;

/// <summary>Escaping for the text forms of a highscore ranking.</summary>
internal static class HighscoreText
{
    private static readonly char[] CsvSpecial = [',', '"', '\n', '\r'];

    public static string Csv(string cell) =>
        cell.IndexOfAny(CsvSpecial) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    public static string Markdown(string cell) =>
        cell.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    public static string Status(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Completed => "completed",
        RunStatus.Stopped => "stopped",
        RunStatus.Failed => "failed",
        _ => status.ToString().ToLowerInvariant(),
    };
}
