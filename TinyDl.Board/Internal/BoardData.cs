using System.Collections.Concurrent;
using System.Globalization;
using TinyDl.Runs;

namespace TinyDl.Board.Internal;

/// <summary>What the board reads: the runs under the root (through <see cref="Highscores"/>) and each run's metrics.csv, cached and read incrementally.</summary>
internal sealed class BoardData(BoardOptions options)
{
    private readonly ConcurrentDictionary<string, MetricsFile> _files = new(StringComparer.Ordinal);

    public BoardOptions Options { get; } = options;

    public IReadOnlyList<RunEntry> Runs() => Highscores.Scan(Options.Root).Runs;

    /// <summary>The run named <paramref name="run"/> (as listed), or null.</summary>
    public RunEntry? Find(string? run) => run is null ? null : Runs().FirstOrDefault(r => r.Run == run);

    public static string MetricsPath(RunEntry run) => Path.Combine(run.Directory, MetricsFile.FileName);

    public (string[] Header, double[][] Rows) Metrics(RunEntry run) => _files.GetOrAdd(MetricsPath(run), path => new MetricsFile(path)).Read();

    /// <summary>
    /// The curves of <paramref name="metric"/> for a run: one per stage column <c>&lt;stage&gt;_&lt;metric&gt;</c> (or the
    /// column itself when the metric names one), x the epoch or the global step (epoch x the run's steps per epoch).
    /// </summary>
    public IEnumerable<Series> Curves(RunEntry run, string metric, bool bySteps)
    {
        var (header, rows) = Metrics(run);
        var stepsPerEpoch = run.Manifest is { Epoch: > 0 } m ? m.GlobalStep / (double)m.Epoch : 1;
        for (var c = 1; c < header.Length; c++)
        {
            var column = header[c];
            if (column != metric && !column.EndsWith("_" + metric, StringComparison.Ordinal))
            {
                continue;
            }

            var points = rows
                .Where(r => !double.IsNaN(r[c]) && !double.IsNaN(r[0]))
                .Select(r => (X: bySteps ? Math.Round(r[0] * stepsPerEpoch) : r[0], Y: r[c]))
                .ToList();
            yield return new Series(run.Run, column, Series.Downsample(points, Options.MaxPoints), points.Count);
        }
    }

    /// <summary>The metric names to offer: the base names of the columns (<c>loss</c>, <c>accuracy</c>) of every readable run's manifest.</summary>
    public static IEnumerable<string> BaseMetrics(IEnumerable<RunEntry> runs) =>
        runs.Where(r => r.Manifest is not null)
            .SelectMany(r => r.Manifest!.Metrics.Keys)
            .Select(k => k.Split('_', 2) is [_, var name] ? name : k)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);

    public static string Text(object? value) => value switch
    {
        null => "",
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
