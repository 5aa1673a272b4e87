namespace TinyDl;

/// <summary>
/// Writes files so that a reader (or a process killed at any instant) sees either the old file or the
/// complete new one: the bytes go to a temporary file in the same directory, are flushed to disk
/// (fsync), and the temporary file is renamed over the target, which is atomic on one file system.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files; a killed writer may leave one behind.</summary>
    public const string TemporarySuffix = ".tmp";

    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/> atomically; its directory is created when missing.</summary>
    /// <param name="path">The file.</param>
    /// <param name="bytes">Its new content.</param>
    /// <exception cref="IOException">The file cannot be written (the old one is then left as it was).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory may not be written.</exception>
    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}-{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Deletes the temporary files a killed writer left in <paramref name="directory"/>.</summary>
    internal static void DeleteLeftovers(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "." + "*" + TemporarySuffix))
        {
            TryDelete(file);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
