using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;
using TinyDl.Runs;

namespace TinyDl.Reporters;

/// <summary>
/// Shows a <see cref="HighscoreRanking"/> on a console: one row per run, best first, with its status,
/// progress, the hyperparameters that differ between the runs (those the same in every run are listed
/// once, below) and the metrics, the sort metric first; numbers are right-aligned and a caption says how
/// the runs are ordered. At most <see cref="MaxMetricColumns"/> metrics and <see cref="MaxHyperparameterColumns"/>
/// hyperparameters are shown (a line says how many more; <c>ToCsv()</c> keeps them all). When the table does
/// not fit the console's width (a redirected output is 80 columns), each run is written as a short block of
/// lines instead, so nothing wraps into unreadable cells. Damaged runs are listed after it with the reason.
/// </summary>
public static class HighscoresTable
{
    /// <summary>The most metric columns shown.</summary>
    public const int MaxMetricColumns = 8;

    /// <summary>The most hyperparameter columns shown.</summary>
    public const int MaxHyperparameterColumns = 8;

    /// <summary>Builds the table of a ranking (without the damaged runs), with the columns <see cref="Write"/> shows.</summary>
    /// <param name="ranking">The ranking.</param>
    /// <returns>A Spectre.Console table, to write or to compose.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ranking"/> is null.</exception>
    public static Table Create(HighscoreRanking ranking)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        var layout = Layout.Of(ranking);
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in layout.Columns)
        {
            var name = ranking.Columns[c];
            var header = name == ranking.Metric ? new Text(name, new Style(decoration: Decoration.Bold)) : new Text(name);
            var column = new TableColumn(header) { NoWrap = true };
            table.AddColumn(ranking.IsNumeric(c) ? column.RightAligned() : column);
        }

        foreach (var row in layout.Rows)
        {
            table.AddRow(layout.Columns.Select(c => (IRenderable)new Text(row[c])));
        }

        table.Caption(Markup.Escape(ranking.Description));
        return table;
    }

    /// <summary>Writes the runs (<see cref="WriteRuns"/>), then the damaged runs with the reason each could not be read.</summary>
    /// <param name="console">The console.</param>
    /// <param name="ranking">The ranking.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> or <paramref name="ranking"/> is null.</exception>
    public static void Write(IAnsiConsole console, HighscoreRanking ranking)
    {
        WriteRuns(console, ranking);
        foreach (var run in ranking.Damaged)
        {
            console.Write(new Text($"damaged: {run.Run}: {run.Problem}", new Style(Color.Yellow)));
            console.WriteLine();
        }
    }

    /// <summary>Writes the ranked runs: a table when it fits the console's width, else a block of lines per run; then what every run shares and what is not shown.</summary>
    /// <param name="console">The console.</param>
    /// <param name="ranking">The ranking.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> or <paramref name="ranking"/> is null.</exception>
    public static void WriteRuns(IAnsiConsole console, HighscoreRanking ranking)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(ranking);
        var layout = Layout.Of(ranking);
        if (layout.Width <= console.Profile.Width)
        {
            console.Write(Create(ranking));
        }
        else
        {
            WriteBlocks(console, ranking, layout);
        }

        foreach (var line in layout.Notes)
        {
            console.Write(new Text(line));
            console.WriteLine();
        }
    }

    private static void WriteBlocks(IAnsiConsole console, HighscoreRanking ranking, Layout layout)
    {
        console.Write(new Text(ranking.Description));
        console.WriteLine();
        var width = Math.Max(40, console.Profile.Width);
        foreach (var row in layout.Rows)
        {
            var head = $"{row[0],3}. {row[2]} {row[3]}";
            var hyperparameters = layout.Columns.Where(ranking.IsHyperparameter).Select(c => $"{ranking.Columns[c]}={row[c]}");
            var metrics = layout.Columns.Where(c => c >= 4 && ranking.IsNumeric(c)).Select(c => $"{ranking.Columns[c]} {row[c]}");
            foreach (var line in Wrap([head, .. hyperparameters], width, "", "     ").Concat(Wrap(metrics, width, "     ", "     ")).Append($"     {row[1]}"))
            {
                console.Write(new Text(line));
                console.WriteLine();
            }
        }
    }

    /// <summary>Joins parts by two spaces into lines of at most <paramref name="width"/> (a longer part gets a line of its own).</summary>
    private static IEnumerable<string> Wrap(IEnumerable<string> parts, int width, string first, string rest)
    {
        var line = first;
        var empty = true;
        foreach (var part in parts)
        {
            if (!empty && line.Length + 2 + part.Length > width)
            {
                yield return line;
                line = rest;
                empty = true;
            }

            line += empty ? part : "  " + part;
            empty = false;
        }

        if (!empty)
        {
            yield return line;
        }
    }

    /// <summary>Which columns to show, the rows' cells, the table's width and the lines about what is not shown.</summary>
    private sealed record Layout(IReadOnlyList<int> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, int Width, IReadOnlyList<string> Notes)
    {
        public static Layout Of(HighscoreRanking ranking)
        {
            var rows = Enumerable.Range(0, ranking.Runs.Count).Select(ranking.Cells).ToList();
            var all = Enumerable.Range(0, ranking.Columns.Count).ToList();
            var hyperparameters = all.Where(ranking.IsHyperparameter).ToList();
            var varying = hyperparameters.Where(c => rows.Select(r => r[c]).Distinct(StringComparer.Ordinal).Count() > 1 || rows.Count == 1).ToList();
            var same = rows.Count > 1 ? hyperparameters.Except(varying).ToList() : [];
            var metrics = all.Where(c => c >= 4 && ranking.IsNumeric(c)).OrderBy(c => ranking.Columns[c] == ranking.Metric ? 0 : 1).ThenBy(c => c).ToList();
            var shown = all.Take(4).Concat(varying.Take(MaxHyperparameterColumns)).Concat(metrics.Take(MaxMetricColumns)).ToList();
            var notes = new List<string>();
            if (same.Count > 0)
            {
                notes.Add($"same in every run: {string.Join(" ", same.Select(c => $"{ranking.Columns[c]}={rows[0][c]}"))}");
            }

            var hidden = Math.Max(0, varying.Count - MaxHyperparameterColumns) + Math.Max(0, metrics.Count - MaxMetricColumns);
            if (hidden > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{hidden:N0} more columns not shown (of {varying.Count:N0} hyperparameters that differ and {metrics.Count:N0} metrics); --format csv lists them all."));
            }

            var width = 1 + shown.Sum(c => 3 + Math.Max(ranking.Columns[c].Length, rows.Count == 0 ? 0 : rows.Max(r => r[c].Length)));
            return new Layout(shown, rows, width, notes);
        }
    }
}
