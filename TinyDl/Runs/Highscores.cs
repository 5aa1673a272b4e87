namespace TinyDl.Runs;

/// <summary>
/// The runs under a directory, read from their manifests, to list and compare: rank them by any metric
/// with <see cref="Rank"/>, then show the result as a table, CSV or Markdown. Runs are the directories
/// directly under the scanned one, or one level deeper for a directory that groups runs (such as a
/// sweep). Damaged runs (manifest missing, empty, corrupt or too new) are kept with the reason, never
/// fatal; running and failed runs are listed with their status.
/// </summary>
public sealed class Highscores
{
    private Highscores(string directory, IReadOnlyList<RunEntry> runs)
    {
        Directory = directory;
        Runs = runs;
    }

    /// <summary>The scanned directory (full path).</summary>
    public string Directory { get; }

    /// <summary>Every run found, damaged ones included, ordered by <see cref="RunEntry.Run"/>.</summary>
    public IReadOnlyList<RunEntry> Runs { get; }

    /// <summary>The runs whose manifest could not be read.</summary>
    public IEnumerable<RunEntry> Damaged => Runs.Where(r => r.IsDamaged);

    /// <summary>Reads the manifests of the runs under <paramref name="directory"/>. Hidden directories (<c>.name</c>) are skipped.</summary>
    /// <param name="directory">The directory of the runs, such as <c>runs</c>; when it is itself a run directory, that run is included too.</param>
    /// <returns>The runs found.</returns>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null or empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static Highscores Scan(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var root = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"There is no directory '{directory}'.");
        }

        var found = new List<(string Run, string Directory)>();
        if (File.Exists(Path.Combine(root, RunManifest.FileName)))
        {
            found.Add((".", root));
        }

        foreach (var child in Visible(root))
        {
            var name = Path.GetFileName(child);
            List<string> nested = File.Exists(Path.Combine(child, RunManifest.FileName)) ? [] : Visible(child).ToList();
            if (nested.Any(d => File.Exists(Path.Combine(d, RunManifest.FileName))))
            {
                found.AddRange(nested.Select(d => ($"{name}/{Path.GetFileName(d)}", d)));
            }
            else
            {
                found.Add((name, child));
            }
        }

        var runs = found
            .AsParallel()
            .Select(f => Load(f.Run, f.Directory))
            .OrderBy(r => r.Run, StringComparer.Ordinal)
            .ToList();
        return new Highscores(root, runs);
    }

    /// <summary>Filters and orders the readable runs.</summary>
    /// <param name="query">The filters, metric, order and count; null for the defaults.</param>
    /// <returns>The ranked runs, with the damaged ones alongside.</returns>
    /// <exception cref="ArgumentException">A filter or the metric names something no readable run records (a typo, most likely).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="HighscoreQuery.Top"/> is not positive.</exception>
    public HighscoreRanking Rank(HighscoreQuery? query = null)
    {
        query ??= new HighscoreQuery();
        if (query.Top is { } top)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top, nameof(query));
        }

        var readable = Runs.Where(r => !r.IsDamaged).Select(r => (Entry: r, Manifest: r.Manifest!)).ToList();
        foreach (var filter in query.Where)
        {
            if (readable.Count > 0 && !readable.Any(r => r.Manifest.Hyperparameters.ContainsKey(filter.Key)))
            {
                var known = readable.SelectMany(r => r.Manifest.Hyperparameters.Keys).Distinct(StringComparer.Ordinal);
                throw new ArgumentException($"No run has a hyperparameter '{filter.Key}'. Hyperparameters: {string.Join(", ", known)}.", nameof(query));
            }
        }

        var metrics = readable.SelectMany(r => r.Manifest.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        var metric = query.Metric ?? (metrics.Contains("validation_accuracy") ? "validation_accuracy" : metrics.FirstOrDefault());
        if (query.Metric is not null && readable.Count > 0 && !metrics.Contains(query.Metric))
        {
            throw new ArgumentException($"No run records a metric '{query.Metric}'. Metrics: {string.Join(", ", metrics)}.", nameof(query));
        }

        var higherIsBetter = readable
            .Select(r => metric is not null && r.Manifest.Metrics.TryGetValue(metric, out var m) ? m : null)
            .FirstOrDefault(m => m is not null)?.HigherIsBetter ?? true;
        var descending = query.Descending ?? higherIsBetter;
        var rows = readable
            .Where(r => query.Where.All(f => f.Matches(r.Manifest)))
            .Select(r => (r.Entry, Value: ValueOf(r.Manifest, metric, query.Final)))
            .OrderBy(r => double.IsNaN(r.Value) ? 1 : 0)
            .ThenBy(r => descending ? -r.Value : r.Value)
            .ThenBy(r => r.Entry.Run, StringComparer.Ordinal)
            .Select(r => r.Entry)
            .Take(query.Top ?? int.MaxValue)
            .ToList();
        return new HighscoreRanking(metric, query.Final, descending, rows, Damaged.ToList());
    }

    private static double ValueOf(RunManifest manifest, string? metric, bool final) =>
        metric is not null && manifest.Metrics.TryGetValue(metric, out var summary) ? summary.Value(final) : double.NaN;

    private static IEnumerable<string> Visible(string directory) =>
        System.IO.Directory.EnumerateDirectories(directory)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .Order(StringComparer.Ordinal);

    private static RunEntry Load(string run, string directory)
    {
        var path = Path.Combine(directory, RunManifest.FileName);
        try
        {
            return new RunEntry(run, directory, RunManifest.Parse(File.ReadAllBytes(path)), null);
        }
        catch (FileNotFoundException)
        {
            return new RunEntry(run, directory, null, $"no {RunManifest.FileName}");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new RunEntry(run, directory, null, $"{RunManifest.FileName}: {error.Message}");
        }
    }
}
