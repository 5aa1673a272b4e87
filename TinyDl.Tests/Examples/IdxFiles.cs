using System.IO.Compression;

namespace TinyDl.Tests.Examples;

/// <summary>Builds IDX files for tests.</summary>
internal static class IdxFiles
{
    /// <summary>An IDX file of unsigned bytes: magic number, big-endian sizes, data.</summary>
    public static byte[] Bytes(int[] shape, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, 0x08, (byte)shape.Length };
        foreach (var size in shape)
        {
            bytes.AddRange([(byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size]);
        }

        bytes.AddRange(data);
        return [.. bytes];
    }

    /// <summary>The bytes gzip-compressed.</summary>
    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
