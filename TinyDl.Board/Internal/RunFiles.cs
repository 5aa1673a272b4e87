namespace TinyDl.Board.Internal;

/// <summary>The files of a run the board links to: regular files in the run directory and its subdirectories (not hidden, not previous-N runs kept aside), read-only.</summary>
internal static class RunFiles
{
    public static IEnumerable<(string Path, long Bytes)> List(string directory)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint };
        return Directory.EnumerateFiles(directory, "*", options)
            .Select(f => Path.GetRelativePath(directory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("previous-", StringComparison.Ordinal) && !f.Split('/').Any(p => p.StartsWith('.')))
            .Where(f => SafeFile.IsRegularFile(Path.Combine(directory, f)))
            .Order(StringComparer.Ordinal)
            .Take(500)
            .Select(f => (f, new FileInfo(Path.Combine(directory, f)).Length))
            .ToList();
    }

    /// <summary>The full path of <paramref name="relative"/> inside <paramref name="directory"/>, or null when it leaves it or is not a regular file.</summary>
    public static string? Resolve(string directory, string? relative)
    {
        if (string.IsNullOrEmpty(relative))
        {
            return null;
        }

        var root = Path.GetFullPath(directory) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relative));
        return full.StartsWith(root, StringComparison.Ordinal) && SafeFile.IsRegularFile(full) ? full : null;
    }
}
