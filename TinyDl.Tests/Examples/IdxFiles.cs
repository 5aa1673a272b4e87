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

    /// <summary>Writes the first images of each split of the installed Fashion-MNIST as the four IDX files of <paramref name="directory"/>.</summary>
    /// <returns>The directory.</returns>
    public static string WriteSubset(string directory, int train, int test)
    {
        directory = Directory.CreateDirectory(directory).FullName;
        foreach (var (prefix, count) in new[] { ("train", train), ("t10k", test) })
        {
            Copy($"{prefix}-images-idx3-ubyte.gz", headerBytes: 16, recordBytes: FashionMnist.FashionMnistData.Pixels, [count, FashionMnist.FashionMnistData.ImageSide, FashionMnist.FashionMnistData.ImageSide]);
            Copy($"{prefix}-labels-idx1-ubyte.gz", headerBytes: 8, recordBytes: 1, [count]);
        }

        return directory;

        void Copy(string file, int headerBytes, int recordBytes, int[] shape)
        {
            using var input = new GZipStream(File.OpenRead(Path.Combine(FashionMnist.DataNotFoundException.PackageDirectory, file)), CompressionMode.Decompress);
            var records = new byte[headerBytes + (shape[0] * recordBytes)];
            input.ReadExactly(records);
            File.WriteAllBytes(Path.Combine(directory, file), Gzip(Bytes(shape, records[headerBytes..])));
        }
    }
}
