using System.Runtime.InteropServices;
using SkiaSharp;
using TinyDl.Serving;

namespace FashionMnist.Serving;

/// <summary>
/// Turns an uploaded PNG or JPEG of any size into the model's input as training saw its images: 28x28
/// grey pixels, light garment on a dark background, each pixel / 255 (the example does not standardise).
/// </summary>
/// <remarks>
/// Decoded with SkiaSharp (Skia, the image library of Chrome and Android, fuzzed continuously; MIT;
/// already a dependency of TorchSharp). No colour management is applied, so a 28x28 greyscale PNG of a
/// Fashion-MNIST image gives exactly its bytes / 255. Colour becomes grey as ITU-R BT.601 luma
/// (0.299 R + 0.587 G + 0.114 B, as PIL's "L" mode), transparency is composed over black, and an image
/// with a light border (a photo on white) is inverted, as Zalando inverted its product photos to make
/// the data set. Other sizes are scaled so that the longer side is 28 pixels (Skia's high-quality
/// filter) and centred on black, as the data set's images were.
/// </remarks>
public static class FashionMnistImage
{
    /// <summary>The largest image accepted, in pixels (width x height): enough for a 50-megapixel photo.</summary>
    public const long MaxPixels = 50_000_000;

    /// <summary>The media types <see cref="Decode"/> reads.</summary>
    public static IReadOnlyList<string> MediaTypes { get; } = ["image/png", "image/jpeg"];

    /// <summary>Decodes an image into one sample, float32 [1, 784] in [0, 1].</summary>
    /// <param name="bytes">The PNG or JPEG file's bytes.</param>
    /// <returns>The model's input.</returns>
    /// <exception cref="ModelInputException">The bytes are not an image SkiaSharp decodes, or the image is too large.</exception>
    public static ModelInput Decode(ReadOnlyMemory<byte> bytes)
    {
        var grey = Grey(bytes.Span, out var width, out var height);
        if (Border(grey, width, height) > 127.5)
        {
            for (var i = 0; i < grey.Length; i++)
            {
                grey[i] = (byte)(255 - grey[i]);
            }
        }

        var side = FashionMnistData.ImageSide;
        var pixels = width == side && height == side ? grey : Fit(grey, width, height, side);
        var data = new float[pixels.Length];
        for (var i = 0; i < pixels.Length; i++)
        {
            data[i] = pixels[i] / 255f;
        }

        return new ModelInput(data, 1, FashionMnistData.Pixels);
    }

    // The image's grey levels, row-major: luma of RGB, composed over black by alpha.
    private static byte[] Grey(ReadOnlySpan<byte> bytes, out int width, out int height)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new ModelInputException("body", "is not an image that can be decoded", "a PNG or JPEG image");
        (width, height) = (codec.Info.Width, codec.Info.Height);
        if ((long)width * height > MaxPixels)
        {
            throw new ModelInputException("body", $"is an image of {width} x {height} pixels", $"at most {MaxPixels} pixels");
        }

        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        var result = codec.GetPixels(info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
        {
            throw new ModelInputException("body", $"is an image that does not decode ({result})", "a complete PNG or JPEG image");
        }

        var rgba = bitmap.GetPixelSpan();
        var grey = new byte[width * height];
        for (var i = 0; i < grey.Length; i++)
        {
            int r = rgba[4 * i], g = rgba[(4 * i) + 1], b = rgba[(4 * i) + 2], a = rgba[(4 * i) + 3];

            // Integer weights that sum to 1000, so a grey pixel (r = g = b) keeps its value exactly.
            var luma = ((299 * r) + (587 * g) + (114 * b) + 500) / 1000;
            grey[i] = (byte)(((luma * a) + 127) / 255);
        }

        return grey;
    }

    private static double Border(byte[] grey, int width, int height)
    {
        long sum = 0;
        long count = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1)
                {
                    sum += grey[(y * width) + x];
                    count++;
                }
            }
        }

        return (double)sum / count;
    }

    // Scales so that the longer side is `side` pixels and centres the result on black.
    private static byte[] Fit(byte[] grey, int width, int height, int side)
    {
        var scale = (double)side / Math.Max(width, height);
        var (w, h) = (Math.Clamp((int)Math.Round(width * scale), 1, side), Math.Clamp((int)Math.Round(height * scale), 1, side));
        using var source = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        var sourcePixels = source.GetPixels();
        for (var y = 0; y < height; y++)
        {
            Marshal.Copy(grey, y * width, sourcePixels + (y * source.RowBytes), width);
        }

        using var scaled = source.Resize(new SKImageInfo(w, h, SKColorType.Gray8, SKAlphaType.Opaque), SKFilterQuality.High)
            ?? throw new ModelInputException("body", $"is an image of {width} x {height} pixels that could not be scaled", "a PNG or JPEG image");
        var pixels = new byte[side * side];
        var (left, top) = ((side - w) / 2, (side - h) / 2);
        var rows = scaled.GetPixelSpan();
        var stride = scaled.RowBytes;
        for (var y = 0; y < h; y++)
        {
            rows.Slice(y * stride, w).CopyTo(pixels.AsSpan(((top + y) * side) + left, w));
        }

        return pixels;
    }
}
