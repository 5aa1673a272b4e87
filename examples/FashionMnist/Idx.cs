using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace FashionMnist;

/// <summary>
/// An array of unsigned bytes read from an IDX file, the format of MNIST and Fashion-MNIST: the magic
/// number <c>00 00 08 d</c> (two zero bytes, element type 0x08 = unsigned byte, d dimensions), d
/// big-endian 32-bit sizes, then the elements in row-major order. A file whose name ends in
/// <c>.gz</c> is gzip-compressed. Everything is checked; a malformed file throws an
/// <see cref="InvalidDataException"/> that names the file and the problem. Disposing it returns the
/// decompressed elements to the pool they were rented from, when one was given.
/// </summary>
public sealed class Idx : IDisposable
{
    private const byte UnsignedByte = 0x08;

    // The first decompression buffer when the gzip trailer gives no usable size.
    private const int MinimumCapacity = 1 << 16;

    private IMemoryOwner<byte>? _owner;

    private Idx(string path, int[] shape, ReadOnlyMemory<byte> data, IMemoryOwner<byte>? owner)
    {
        Path = path;
        Shape = shape;
        Data = data;
        _owner = owner;
    }

    /// <summary>The file read (as given).</summary>
    public string Path { get; }

    /// <summary>The size of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The elements in row-major order; exactly the product of <see cref="Shape"/> bytes. Not to be used after <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Reads an IDX file, gzip-compressed when its name ends in <c>.gz</c>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="pool">Where a gzip file's decompressed contents are rented from; a managed array when null (the default).</param>
    /// <returns>The array.</returns>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes.</exception>
    public static Idx Read(string path, MemoryPool<byte>? pool = null) => Parse(TinyDl.SafeFile.ReadAllBytes(path, 1L << 30), path, pool);

    /// <summary>Parses the contents of an IDX file, gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    /// <param name="contents">The bytes of the file as stored (compressed or not): an array, or any memory that outlives the result.</param>
    /// <param name="path">The file's name, for the gzip decision and for messages.</param>
    /// <param name="pool">
    /// Where a gzip file's decompressed contents are rented from, such as <see cref="NativeMemoryPool.Shared"/>
    /// for memory that goes back to the system on <see cref="Dispose"/> rather than at a later full GC;
    /// a managed array when null (the default).
    /// </param>
    /// <returns>The array; its <see cref="Data"/> may share memory with <paramref name="contents"/>.</returns>
    /// <exception cref="InvalidDataException">The contents are not a well-formed IDX file of unsigned bytes.</exception>
    public static Idx Parse(ReadOnlyMemory<byte> contents, string path, MemoryPool<byte>? pool = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            return Parse(contents, path, owner: null);
        }

        var owner = Decompress(contents, path, pool ?? ArrayMemoryPool.Instance);
        try
        {
            return Parse(owner.Memory[..owner.Length], path, owner);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Returns the decompressed elements to their pool; <see cref="Data"/> must not be used afterwards.</summary>
    public void Dispose()
    {
        _owner?.Dispose();
        _owner = null;
    }

    private static Idx Parse(ReadOnlyMemory<byte> idx, string path, IMemoryOwner<byte>? owner)
    {
        var header = idx.Span;
        if (header.Length >= 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            throw Error(path, "it is gzip-compressed but its name does not end in .gz; rename it or decompress it (gunzip)");
        }

        if (idx.Length < 4)
        {
            throw Error(path, $"it is too short for an IDX header: expected at least 4 bytes, got {idx.Length}");
        }

        if (header[0] != 0 || header[1] != 0)
        {
            throw Error(path, $"bad magic number 0x{header[0]:x2}{header[1]:x2}{header[2]:x2}{header[3]:x2}; an IDX file starts with two zero bytes, the element type and the number of dimensions");
        }

        if (header[2] != UnsignedByte)
        {
            throw Error(path, $"element type 0x{header[2]:x2} ({TypeName(header[2])}) is not supported; only 0x08 (unsigned byte) is");
        }

        var dimensions = header[3];
        if (dimensions == 0)
        {
            throw Error(path, "it declares 0 dimensions; an IDX array has at least one");
        }

        var headerLength = 4 + 4 * dimensions;
        if (idx.Length < headerLength)
        {
            throw Error(path, $"truncated header: {dimensions} dimensions need {headerLength} bytes, got {idx.Length}");
        }

        var shape = new int[dimensions];
        var expected = BigInteger.One;
        for (var i = 0; i < dimensions; i++)
        {
            var size = BinaryPrimitives.ReadUInt32BigEndian(header.Slice(4 + 4 * i, 4));
            if (size > int.MaxValue)
            {
                throw Error(path, $"dimension {i} has the implausible size {size}");
            }

            shape[i] = (int)size;
            expected *= size;
        }

        var actual = idx.Length - headerLength;
        if (actual < expected)
        {
            throw Error(path, $"truncated data: expected {expected} bytes for shape [{string.Join(", ", shape)}], got {actual}");
        }

        if (actual > expected)
        {
            throw Error(path, $"trailing garbage: {actual - expected} bytes after the {expected} bytes of shape [{string.Join(", ", shape)}]");
        }

        return new Idx(path, shape, idx[headerLength..], owner);
    }

    private static unsafe Decompressed Decompress(ReadOnlyMemory<byte> file, string path, MemoryPool<byte> pool)
    {
        var contents = file.Span;
        if (contents.Length < 2 || contents[0] != 0x1f || contents[1] != 0x8b)
        {
            throw Error(path, "its name ends in .gz but it is not gzip-compressed (no gzip signature 1f 8b)");
        }

        if (contents.Length < 18)
        {
            throw Error(path, $"truncated gzip file: {contents.Length} bytes, fewer than a gzip header and trailer take");
        }

        // The gzip trailer holds the uncompressed size modulo 2^32: a good first capacity (one more byte,
        // so that the end of the data is seen without growing), bounded by deflate's maximum ratio so that
        // a corrupt trailer cannot ask for gigabytes.
        var hint = BinaryPrimitives.ReadUInt32LittleEndian(contents[^4..]) + 1L;
        var capacity = (int)Math.Clamp(Math.Min(hint, contents.Length * 1032L), MinimumCapacity, Array.MaxLength);
        var buffer = pool.Rent(capacity);
        var length = 0;
        try
        {
            // Read in place, wherever the contents are (an array or native memory).
            using var pin = file.Pin();
            using var source = new UnmanagedMemoryStream((byte*)pin.Pointer, file.Length);
            using var gzip = new GZipStream(source, CompressionMode.Decompress);
            while (length < Array.MaxLength)
            {
                if (length == buffer.Memory.Length)
                {
                    var larger = pool.Rent((int)Math.Min(2L * length, Array.MaxLength));
                    buffer.Memory.Span.CopyTo(larger.Memory.Span);
                    buffer.Dispose();
                    buffer = larger;
                }

                var read = gzip.Read(buffer.Memory.Span[length..]);
                if (read == 0)
                {
                    return new Decompressed(buffer, length);
                }

                length += read;
            }
        }
        catch (InvalidDataException e)
        {
            buffer.Dispose();
            throw Error(path, $"corrupt gzip data ({e.Message})", e);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }

        buffer.Dispose();
        throw Error(path, $"it decompresses to more than {Array.MaxLength} bytes");
    }

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0b => "16-bit integer",
        0x0c => "32-bit integer",
        0x0d => "32-bit float",
        0x0e => "64-bit float",
        _ => "unknown",
    };

    private static InvalidDataException Error(string path, string problem, Exception? inner = null) =>
        new($"'{path}' is not a valid IDX file: {problem}.", inner);

    /// <summary>A decompressed file: the first <see cref="Length"/> bytes of a rented buffer, returned on dispose.</summary>
    private sealed class Decompressed(IMemoryOwner<byte> buffer, int length) : IMemoryOwner<byte>
    {
        public int Length { get; } = length;

        public Memory<byte> Memory => buffer.Memory;

        public void Dispose() => buffer.Dispose();
    }

    /// <summary>Rents plain managed arrays of exactly the size asked for (the GC frees them).</summary>
    private sealed class ArrayMemoryPool : MemoryPool<byte>
    {
        public static readonly ArrayMemoryPool Instance = new();

        public override int MaxBufferSize => Array.MaxLength;

        public override IMemoryOwner<byte> Rent(int minBufferSize = -1) => new Owner(new byte[Math.Max(minBufferSize, 0)]);

        protected override void Dispose(bool disposing)
        {
        }

        private sealed class Owner(byte[] array) : IMemoryOwner<byte>
        {
            public Memory<byte> Memory => array;

            public void Dispose()
            {
            }
        }
    }
}
