using System.Globalization;
using System.Text;
using TinyDl.Runs.Internal;

namespace TinyDl.Runs;

/// <summary>
/// Runs ranked by <see cref="Highscores.Rank"/>: the rows in order, their columns (rank, run, status,
/// progress, every hyperparameter, every metric) and the damaged runs, as text cells, CSV or Markdown.
/// Metric cells show the best values, or the final ones when <see cref="Final"/>. Column names are
/// unique: a hyperparameter whose name is also a fixed or a metric column's is shown as <c>hp:name</c>.
/// </summary>
public sealed class HighscoreRanking
{
    private static readonly string[] Fixed = ["rank", "run", "status", "progress"];

    internal HighscoreRanking(string? metric, bool final, bool descending, IReadOnlyList<RunEntry> runs, IReadOnlyList<RunEntry> damaged)
    {
        Metric = metric;
        Final = final;
        Descending = descending;
        Runs = runs;
        Damaged = damaged;
        Hyperparameters = runs.SelectMany(r => r.Manifest!.Hyperparameters.Keys).Distinct(StringComparer.Ordinal).ToList();
        Metrics = runs.SelectMany(r => r.Manifest!.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        var taken = Fixed.Concat(Metrics).ToHashSet(StringComparer.Ordinal);
        Columns = [.. Fixed, .. Hyperparameters.Select(h => taken.Contains(h) ? $"hp:{h}" : h), .. Metrics];
    }

    /// <summary>The metric the runs are sorted by; null when no run records a metric (then by run name).</summary>
    public string? Metric { get; }

    /// <summary>Whether final values are used instead of best ones.</summary>
    public bool Final { get; }

    /// <summary>Whether the largest value comes first.</summary>
    public bool Descending { get; }

    /// <summary>The ranked runs, best first; every one has a manifest.</summary>
    public IReadOnlyList<RunEntry> Runs { get; }

    /// <summary>The runs whose manifest could not be read, with the reason.</summary>
    public IReadOnlyList<RunEntry> Damaged { get; }

    /// <summary>The hyperparameter names of the ranked runs, in the order first seen.</summary>
    public IReadOnlyList<string> Hyperparameters { get; }

    /// <summary>The metric keys of the ranked runs, in the order first seen.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>The column names: <c>rank</c>, <c>run</c>, <c>status</c>, <c>progress</c> (epochs done of those asked, <c>3/5</c>),
    /// then <see cref="Hyperparameters"/> (as <c>hp:name</c> where a name is taken) and <see cref="Metrics"/>.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>A one-line description, such as <c>3 runs by best validation_accuracy, highest first; 1 damaged</c>.</summary>
    public string Description
    {
        get
        {
            var order = Metric is null
                ? "by run"
                : $"by {(Final ? "final" : "best")} {Metric}, {(Descending ? "highest" : "lowest")} first";
            var damaged = Damaged.Count > 0 ? $"; {Damaged.Count} damaged" : "";
            return $"{Runs.Count} {(Runs.Count == 1 ? "run" : "runs")} {order}{damaged}";
        }
    }

    /// <summary>The cells of one row, for display: numbers in invariant culture with 6 significant digits, empty when missing.</summary>
    /// <param name="index">The row, from 0.</param>
    /// <returns>One text per column of <see cref="Columns"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not a row.</exception>
    public IReadOnlyList<string> Cells(int index) => Cells(index, "G6");

    /// <summary>The ranking as CSV (RFC 4180 quoting, LF line ends): a header of <see cref="Columns"/>, then one line per run with numbers round-trippable.</summary>
    /// <returns>The CSV text.</returns>
    public string ToCsv()
    {
        var text = new StringBuilder();
        text.AppendJoin(',', Columns.Select(HighscoreText.Csv)).Append('\n');
        for (var i = 0; i < Runs.Count; i++)
        {
            text.AppendJoin(',', Cells(i, "R").Select(HighscoreText.Csv)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The ranking as a Markdown (GitHub) table, numbers right-aligned with 6 significant digits.</summary>
    /// <returns>The Markdown text.</returns>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.Append("| ").AppendJoin(" | ", Columns.Select(HighscoreText.Markdown)).Append(" |\n");
        text.Append('|').AppendJoin('|', Columns.Select((_, c) => IsNumeric(c) ? "---:" : "---")).Append("|\n");
        for (var i = 0; i < Runs.Count; i++)
        {
            text.Append("| ").AppendJoin(" | ", Cells(i).Select(HighscoreText.Markdown)).Append(" |\n");
        }

        return text.ToString();
    }

    /// <summary>Whether a column holds numbers (the rank and the metrics).</summary>
    /// <param name="column">The column's index in <see cref="Columns"/>.</param>
    /// <returns>True for numeric columns.</returns>
    public bool IsNumeric(int column) => column == 0 || column >= Fixed.Length + Hyperparameters.Count;

    /// <summary>Whether a column is a hyperparameter's.</summary>
    /// <param name="column">The column's index in <see cref="Columns"/>.</param>
    /// <returns>True for hyperparameter columns.</returns>
    public bool IsHyperparameter(int column) => column >= Fixed.Length && column < Fixed.Length + Hyperparameters.Count;

    private string[] Cells(int index, string format)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Runs.Count);
        var run = Runs[index];
        var manifest = run.Manifest!;
        var cells = new List<string>(Columns.Count)
        {
            (index + 1).ToString(CultureInfo.InvariantCulture),
            run.Run,
            run.Status!,
            string.Create(CultureInfo.InvariantCulture, $"{manifest.Epoch}/{manifest.Epochs}"),
        };
        cells.AddRange(Hyperparameters.Select(h => manifest.Hyperparameters.TryGetValue(h, out var value) ? Experiment.Format(value) : ""));
        cells.AddRange(Metrics.Select(m => manifest.Metrics.TryGetValue(m, out var summary) ? summary.Value(Final).ToString(format, CultureInfo.InvariantCulture) : ""));
        return [.. cells];
    }
}
