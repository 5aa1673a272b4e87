using TinyDl.Runs.Internal;

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

        // Every directory is looked at once, by its real path: a symbolic link to a run already listed, or
        // a link loop, adds nothing. A directory that cannot be listed is a damaged entry, never fatal.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<(string Run, string Directory, string? Problem)>();
        if (IsRun(root))
        {
            seen.Add(RealPath(root));
            found.Add((".", root, null));
        }

        foreach (var (child, problem) in Visible(root))
        {
            var name = Path.GetFileName(child);
            if (!seen.Add(RealPath(child)))
            {
                continue;
            }

            if (problem is not null)
            {
                found.Add((name, child, problem));
                continue;
            }

            var nested = IsRun(child) ? [] : Visible(child).Where(d => !Path.GetFileName(d.Directory).StartsWith("previous-", StringComparison.Ordinal)).ToList();
            if (nested.Any(d => d.Problem is null && IsRun(d.Directory)))
            {
                foreach (var (inner, innerProblem) in nested.Where(d => seen.Add(RealPath(d.Directory))))
                {
                    found.Add(($"{name}/{Path.GetFileName(inner)}", inner, innerProblem));
                }
            }
            else
            {
                found.Add((name, child, null));
            }
        }

        var runs = found
            .AsParallel()
            .Select(f => f.Problem is null ? Load(f.Run, f.Directory) : new RunEntry(f.Run, f.Directory, null, f.Problem))
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
                throw new ArgumentException($"No run has a hyperparameter '{filter.Key}'. Hyperparameters: {HighscoreText.List(known)}.", nameof(query));
            }
        }

        var metrics = readable.SelectMany(r => r.Manifest.Metrics.Keys).Distinct(StringComparer.Ordinal).ToList();
        var metric = query.Metric ?? (metrics.Contains("validation_accuracy") ? "validation_accuracy" : metrics.FirstOrDefault());
        if (query.Metric is not null && readable.Count > 0 && !metrics.Contains(query.Metric))
        {
            throw new ArgumentException($"No run records a metric '{query.Metric}'. Metrics: {HighscoreText.List(metrics)}.", nameof(query));
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

    private static bool IsRun(string directory) => Path.Exists(Path.Combine(directory, RunManifest.FileName));

    private static string RealPath(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(directory);
        }
        catch (IOException)
        {
            return Path.GetFullPath(directory);
        }
    }

    private static List<(string Directory, string? Problem)> Visible(string directory)
    {
        try
        {
            return [.. System.IO.Directory.EnumerateDirectories(directory)
                .Where(d => !Path.GetFileName(d).StartsWith('.'))
                .Order(StringComparer.Ordinal)
                .Select(d => (d, CanList(d)))];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? CanList(string directory)
    {
        try
        {
            using var entries = System.IO.Directory.EnumerateFileSystemEntries(directory).GetEnumerator();
            entries.MoveNext();
            return null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {error.Message}";
        }
    }

    private static RunEntry Load(string run, string directory)
    {
        var path = Path.Combine(directory, RunManifest.FileName);
        var live = RunLock.IsHeld(directory);
        try
        {
            return new RunEntry(run, directory, RunManifest.Read(path), null) { Live = live };
        }
        catch (FileNotFoundException)
        {
            return new RunEntry(run, directory, null, $"no {RunManifest.FileName}") { Live = live };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return new RunEntry(run, directory, null, $"{RunManifest.FileName}: {error.Message}") { Live = live };
        }
    }
}
