using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace FashionMnist;

/// <summary>
/// An array of unsigned bytes read from an IDX file, the format of MNIST and Fashion-MNIST: the magic
/// number <c>00 00 08 d</c> (two zero bytes, element type 0x08 = unsigned byte, d dimensions), d
/// big-endian 32-bit sizes, then the elements in row-major order. A file whose name ends in
/// <c>.gz</c> is gzip-compressed. Everything is checked; a malformed file throws an
/// <see cref="InvalidDataException"/> that names the file and the problem.
/// </summary>
public sealed class Idx
{
    private const byte UnsignedByte = 0x08;

    private Idx(string path, int[] shape, ReadOnlyMemory<byte> data)
    {
        Path = path;
        Shape = shape;
        Data = data;
    }

    /// <summary>The file read (as given).</summary>
    public string Path { get; }

    /// <summary>The size of each dimension, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The elements in row-major order; exactly the product of <see cref="Shape"/> bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Reads an IDX file, gzip-compressed when its name ends in <c>.gz</c>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The array.</returns>
    /// <exception cref="InvalidDataException">The file is not a well-formed IDX file of unsigned bytes.</exception>
    public static Idx Read(string path) => Parse(TinyDl.SafeFile.ReadAllBytes(path, 1L << 30), path);

    /// <summary>Parses the contents of an IDX file, gzip-compressed when <paramref name="path"/> ends in <c>.gz</c>.</summary>
    /// <param name="contents">The bytes of the file as stored (compressed or not).</param>
    /// <param name="path">The file's name, for the gzip decision and for messages.</param>
    /// <returns>The array; its <see cref="Data"/> may share memory with <paramref name="contents"/>.</returns>
    /// <exception cref="InvalidDataException">The contents are not a well-formed IDX file of unsigned bytes.</exception>
    public static Idx Parse(byte[] contents, string path)
    {
        ArgumentNullException.ThrowIfNull(contents);
        ArgumentNullException.ThrowIfNull(path);
        var idx = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? Decompress(contents, path)
            : new ArraySegment<byte>(contents);
        if (idx.Count >= 2 && idx[0] == 0x1f && idx[1] == 0x8b)
        {
            throw Error(path, "it is gzip-compressed but its name does not end in .gz; rename it or decompress it (gunzip)");
        }

        if (idx.Count < 4)
        {
            throw Error(path, $"it is too short for an IDX header: expected at least 4 bytes, got {idx.Count}");
        }

        var header = idx.AsSpan();
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
        if (idx.Count < headerLength)
        {
            throw Error(path, $"truncated header: {dimensions} dimensions need {headerLength} bytes, got {idx.Count}");
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

        var actual = idx.Count - headerLength;
        if (actual < expected)
        {
            throw Error(path, $"truncated data: expected {expected} bytes for shape [{string.Join(", ", shape)}], got {actual}");
        }

        if (actual > expected)
        {
            throw Error(path, $"trailing garbage: {actual - expected} bytes after the {expected} bytes of shape [{string.Join(", ", shape)}]");
        }

        return new Idx(path, shape, idx.AsMemory(headerLength));
    }

    private static ArraySegment<byte> Decompress(byte[] contents, string path)
    {
        if (contents.Length < 2 || contents[0] != 0x1f || contents[1] != 0x8b)
        {
            throw Error(path, "its name ends in .gz but it is not gzip-compressed (no gzip signature 1f 8b)");
        }

        if (contents.Length < 18)
        {
            throw Error(path, $"truncated gzip file: {contents.Length} bytes, fewer than a gzip header and trailer take");
        }

        // The gzip trailer holds the uncompressed size modulo 2^32: a good first capacity, bounded by
        // deflate's maximum ratio so that a corrupt trailer cannot ask for gigabytes.
        var hint = BinaryPrimitives.ReadUInt32LittleEndian(contents.AsSpan(contents.Length - 4));
        var capacity = Math.Min(Math.Min(hint, contents.Length * 1032L), Array.MaxLength);
        using var decompressed = new MemoryStream((int)capacity);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(contents, writable: false), CompressionMode.Decompress);
            gzip.CopyTo(decompressed, 1 << 20);
        }
        catch (InvalidDataException e)
        {
            throw Error(path, $"corrupt gzip data ({e.Message})", e);
        }

        return new ArraySegment<byte>(decompressed.GetBuffer(), 0, (int)decompressed.Length);
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
}
