using Spectre.Console;
using Spectre.Console.Rendering;
using TinyDl.Runs;

namespace TinyDl.Reporters;

/// <summary>
/// Shows a <see cref="HighscoreRanking"/> on a console: one row per run, best first, with its status,
/// hyperparameters and metrics; the sort metric's column header is bold, numbers are right-aligned,
/// and a caption says how the runs are ordered. Damaged runs are listed after the table with the reason.
/// </summary>
public static class HighscoresTable
{
    /// <summary>Builds the table of a ranking (without the damaged runs).</summary>
    /// <param name="ranking">The ranking.</param>
    /// <returns>A Spectre.Console table, to write or to compose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> is null.</exception>
    public static Table Create(HighscoreRanking ranking)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        var table = new Table().Border(TableBorder.Rounded);
        for (var c = 0; c < ranking.Columns.Count; c++)
        {
            var name = ranking.Columns[c];
            var header = name == ranking.Metric ? new Text(name, new Style(decoration: Decoration.Bold)) : new Text(name);
            var column = new TableColumn(header);
            table.AddColumn(ranking.IsNumeric(c) ? column.RightAligned() : column);
        }

        for (var i = 0; i < ranking.Runs.Count; i++)
        {
            table.AddRow(ranking.Cells(i).Select(cell => (IRenderable)new Text(cell)));
        }

        table.Caption(Markup.Escape(ranking.Description));
        return table;
    }

    /// <summary>Writes the table, then the damaged runs with the reason each could not be read.</summary>
    /// <param name="console">The console.</param>
    /// <param name="ranking">The ranking.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> or <paramref name="ranking"/> is null.</exception>
    public static void Write(IAnsiConsole console, HighscoreRanking ranking)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(ranking);
        console.Write(Create(ranking));
        foreach (var run in ranking.Damaged)
        {
            console.Write(new Text($"damaged: {run.Run}: {run.Problem}", new Style(Color.Yellow)));
            console.WriteLine();
        }
    }
}
