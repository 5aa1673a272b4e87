using System.Runtime.InteropServices;

namespace TinyDl;

/// <summary>
/// Opens files for reading without ever blocking on a FIFO or reading a device: TinyDl reads data files,
/// manifests and checkpoints this way, and so can your data loader. Only regular files (or symbolic links
/// to them) are opened; anything else is an <see cref="IOException"/> that says what the path is.
/// </summary>
public static class SafeFile
{
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;

    /// <summary>Opens a regular file for reading.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The stream, positioned at the start.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The path is not a regular file (a directory, FIFO, device or socket), or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static FileStream OpenRead(string path)
    {
        ThrowIfNotRegular(path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1 << 16);
    }

    /// <summary>Reads a whole regular file, refusing one larger than <paramref name="maxBytes"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted, such as 64 MiB for a manifest.</param>
    /// <returns>The file's bytes.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The path is not a regular file, is larger than <paramref name="maxBytes"/>, or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = OpenRead(path, maxBytes);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Opens a regular file for reading, refusing one larger than <paramref name="maxBytes"/> (or than an array can hold), for reading it whole into memory of your own.</summary>
    /// <param name="path">The file.</param>
    /// <param name="maxBytes">The largest size accepted.</param>
    /// <returns>The stream, positioned at the start; its <see cref="FileStream.Length"/> is at most <paramref name="maxBytes"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBytes"/> is negative.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="IOException">The path is not a regular file, is larger than <paramref name="maxBytes"/>, or cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public static FileStream OpenRead(string path, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var stream = OpenRead(path);
        var length = stream.Length;
        if (length > maxBytes || length > Array.MaxLength)
        {
            stream.Dispose();
            throw new IOException($"'{path}' is {length:N0} bytes, more than the {maxBytes:N0} bytes accepted for it; is it the right file?");
        }

        return stream;
    }

    /// <summary>Whether <paramref name="path"/> is a regular file (following symbolic links); false when it does not exist or is anything else.</summary>
    /// <param name="path">The path.</param>
    /// <returns>True for a regular file.</returns>
    public static bool IsRegularFile(string path) =>
        !string.IsNullOrEmpty(path) && (OperatingSystem.IsWindows() ? File.Exists(path) : Native.Stat(path, out var status) == 0 && (status.Mode & TypeMask) == RegularType);

    private static void ThrowIfNotRegular(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Native.Stat(path, out var status) != 0)
        {
            // Let the normal open report a missing file or a denied access in its own words.
            return;
        }

        var kind = (status.Mode & TypeMask) switch
        {
            RegularType => null,
            0x4000 => "a directory",
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
        if (kind is not null)
        {
            throw new IOException($"'{path}' is {kind}, not a regular file; TinyDl reads only regular files (so that it never blocks on a pipe or reads a device).");
        }
    }

    private static class Native
    {
        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        public static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, out FileStatus status);

        // The runtime's own file status record (System.Native's FileStatus), with room to spare at the end.
        [StructLayout(LayoutKind.Sequential)]
        public struct FileStatus
        {
            public int Flags;
            public int Mode;
            public uint Uid;
            public uint Gid;
            public long Size;
            public Spare Rest;
        }

        [System.Runtime.CompilerServices.InlineArray(24)]
        public struct Spare
        {
            private long _element;
        }
    }
}
