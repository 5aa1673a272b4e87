using System.Buffers.Binary;
using System.IO.Compression;
using static TorchSharp.torch;

namespace TinyDl.Parity.Independent;

/// <summary>Reads the gzip-compressed IDX files of Fashion-MNIST: a 4-byte magic, big-endian sizes, then unsigned bytes.</summary>
public static class IdxFile
{
    /// <summary>Images as float32 [N, 784] scaled to [0, 1].</summary>
    public static Tensor Images(string path)
    {
        var (shape, data) = Read(path);
        using var bytes = tensor(data, [shape[0], shape[1] * shape[2]]);
        return bytes.to_type(float32).div_(255f);
    }

    /// <summary>Labels as int64 [N].</summary>
    public static Tensor Labels(string path)
    {
        var (shape, data) = Read(path);
        using var bytes = tensor(data, [shape[0]]);
        return bytes.to_type(int64);
    }

    private static (int[] Shape, byte[] Data) Read(string path)
    {
        using var file = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        file.CopyTo(memory);
        var all = memory.ToArray();
        var dimensions = all[3];
        var shape = new int[dimensions];
        for (var i = 0; i < dimensions; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(all.AsSpan(4 + (4 * i)));
        }

        return (shape, all[(4 + (4 * dimensions))..]);
    }
}
