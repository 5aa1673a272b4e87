using System.Buffers.Binary;
using System.IO.Compression;

namespace TinyDl.Tests.Support;

/// <summary>Decodes a PNG by the specification, without an image library: signature, IHDR, the zlib stream of all IDAT chunks, and the filtered scanlines' total length.</summary>
internal static class PngImage
{
    /// <summary>The image's width and height, after checking that its pixel data inflates to exactly height scanlines of its colour type.</summary>
    public static (int Width, int Height) Decode(byte[] png)
    {
        byte[] signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        if (!png.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("Not a PNG signature.");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                channels = data[9] switch { 0 => 1, 2 => 3, 4 => 2, 6 => 4, var t => throw new InvalidDataException($"Colour type {t}.") };
                if (data[8] != 8)
                {
                    throw new InvalidDataException($"Bit depth {data[8]}.");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var zlib = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        if (raw.Length != (long)height * (1 + (width * channels)))
        {
            throw new InvalidDataException($"The pixel data has {raw.Length} bytes for {width} x {height} x {channels}.");
        }

        return (width, height);
    }
}
