using System.Text.Json;
using TinyDl.Runs.Internal;

namespace TinyDl.Runs;

/// <summary>
/// The exclusive lock a run holds on its run directory while it runs: an operating-system lock on
/// <c>run.lock</c> (<c>flock</c> on Linux, which NFS clients map to the server's locks), so a killed process
/// never leaves a stale lock: the kernel releases it with the process. Who holds it is written to
/// <c>run.owner.json</c> for the message a second process gets. Reading tools (highscores, the board,
/// status) never take it; <see cref="IsHeld"/> tells them whether a run is live, without waiting.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>The lock file's name in a run directory.</summary>
    public const string FileName = "run.lock";

    /// <summary>The name of the file that says who holds the lock.</summary>
    public const string OwnerFileName = "run.owner.json";

    // A reader's probe holds a shared lock for microseconds; a taker retries for this long before refusing.
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(300);
    private readonly FileStream _stream;

    private RunLock(string directory, FileStream stream)
    {
        Directory = directory;
        _stream = stream;
    }

    /// <summary>The run directory held.</summary>
    public string Directory { get; }

    /// <summary>Takes the lock of <paramref name="directory"/>, creating the directory when missing.</summary>
    /// <param name="directory">The run directory.</param>
    /// <returns>The lock; dispose it to release.</returns>
    /// <exception cref="RunDirectoryInUseException">Another live process holds it (refused within a second).</exception>
    /// <exception cref="RunDirectoryException">The directory cannot be created or written, or file locking is disabled.</exception>
    public static RunLock Acquire(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.GetFullPath(directory);
        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING") is "1" or "true"
            || (AppContext.TryGetSwitch("System.IO.DisableFileLocking", out var disabled) && disabled))
        {
            throw new RunDirectoryException($"File locking is disabled in this process (DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so '{full}' cannot be locked against a second run; unset it.", full);
        }

        var path = Path.Combine(full, FileName);
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                System.IO.Directory.CreateDirectory(full);
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                var held = new RunLock(full, stream);
                held.WriteOwner();
                return held;
            }
            catch (IOException error) when (IsSharingViolation(error))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new RunDirectoryInUseException(full, ReadOwner(full));
                }

                Thread.Sleep(20);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new RunDirectoryException($"Cannot use '{full}' as a run directory: {error.Message}", full, error);
            }
        }
    }

    /// <summary>Whether a live process holds the lock of <paramref name="directory"/>. Never waits and never takes the lock for longer than the probe.</summary>
    /// <param name="directory">The run directory.</param>
    /// <returns>True while a run holds it; false when nobody does or there is no lock file.</returns>
    public static bool IsHeld(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return false;
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return false;
        }
        catch (IOException error) when (IsSharingViolation(error))
        {
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Who holds (or last held) the lock of <paramref name="directory"/>, as recorded; null when unknown.</summary>
    /// <param name="directory">The run directory.</param>
    /// <returns>The owner, or null.</returns>
    public static RunLockOwner? ReadOwner(string directory)
    {
        try
        {
            return JsonSerializer.Deserialize(SafeFile.ReadAllBytes(Path.Combine(directory, OwnerFileName), 1 << 16), RunLockJsonContext.Default.RunLockOwner);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path.Combine(Directory, OwnerFileName));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            // The lock itself is what counts; a stale owner file only describes the last holder.
        }

        _stream.Dispose();
    }

    private static bool IsSharingViolation(IOException error) => (error.HResult & 0xFFFF) is 32 or 33 || error.HResult == 11;

    private void WriteOwner()
    {
        var owner = new RunLockOwner(Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow);
        AtomicFile.Write(Path.Combine(Directory, OwnerFileName), JsonSerializer.SerializeToUtf8Bytes(owner, RunLockJsonContext.Default.RunLockOwner));
    }
}
