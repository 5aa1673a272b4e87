namespace TinyDl.Runs;

/// <summary>
/// Where TinyDl keeps an earlier run's files instead of replacing them: the first free
/// <c>previous-N</c> name, so nothing is ever overwritten or deleted without being asked.
/// </summary>
public static class KeptAside
{
    /// <summary>The first <c>&lt;parent&gt;/previous-N</c> (N = 1, 2, ...) that does not exist.</summary>
    /// <param name="parent">The directory that holds the earlier run's files.</param>
    /// <returns>The full path of the free directory (not created).</returns>
    public static string NextDirectory(string parent)
    {
        ArgumentException.ThrowIfNullOrEmpty(parent);
        for (var n = 1; ; n++)
        {
            var candidate = Path.Combine(Path.GetFullPath(parent), $"previous-{n}");
            if (!Path.Exists(candidate))
            {
                return candidate;
            }
        }
    }

    /// <summary>Moves <paramref name="paths"/> (files or directories inside <paramref name="parent"/>) into the next free <c>previous-N</c> directory.</summary>
    /// <param name="parent">The directory the paths are in.</param>
    /// <param name="paths">The files and directories to keep aside.</param>
    /// <returns>The directory they were moved to.</returns>
    /// <exception cref="IOException">A path cannot be moved.</exception>
    public static string Move(string parent, IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var target = NextDirectory(parent);
        Directory.CreateDirectory(target);
        foreach (var path in paths)
        {
            var destination = Path.Combine(target, Path.GetFileName(Path.TrimEndingDirectorySeparator(path)));
            if (Directory.Exists(path))
            {
                Directory.Move(path, destination);
            }
            else if (File.Exists(path))
            {
                File.Move(path, destination);
            }
        }

        return target;
    }
}
