using TinyDl.Examples;

namespace TinyDl.Cli;

/// <summary>Checks a sweep's run root before a script points every worker at it.</summary>
internal static class RunRoot
{
    // File systems that only this machine sees: a run root on one of them is not shared with other nodes.
    private static readonly string[] LocalTypes = ["tmpfs", "ext2", "ext3", "ext4", "xfs", "btrfs", "overlay", "zfs", "f2fs"];

    /// <summary>The root's full path, created when missing and checked writable; a note when it is on a local file system.</summary>
    /// <exception cref="IOException">The root cannot be created or written.</exception>
    public static string Writable(string root, TextWriter notes)
    {
        var full = WritableRoot.Check(root, "; give --out a directory on storage every node shares and the jobs' user can write.");

        if (FileSystemType(full) is { } type && LocalTypes.Contains(type))
        {
            notes.WriteLine($"note: the run root '{full}' is on a local {type} file system; on a cluster of several nodes, put it on shared storage (NFS, Lustre, ...) so that every worker sees every run.");
        }

        return full;
    }

    /// <summary>The type of the file system holding <paramref name="path"/>, from /proc/mounts (the longest mount point that contains it); null when unknown.</summary>
    private static string? FileSystemType(string path)
    {
        try
        {
            return File.ReadAllLines("/proc/mounts")
                .Select(line => line.Split(' '))
                .Where(f => f.Length > 2 && (path == f[1] || path.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
                .MaxBy(f => f[1].Length)?[2];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
