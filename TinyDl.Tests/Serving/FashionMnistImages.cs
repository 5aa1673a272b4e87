using FashionMnist;

namespace TinyDl.Tests.Serving;

/// <summary>Fashion-MNIST test images as their raw bytes, read from the installed IDX file.</summary>
internal static class FashionMnistImages
{
    private static readonly Lazy<Idx> Test = new(() => Idx.Read(Path.Combine(DataNotFoundException.PackageDirectory, "t10k-images-idx3-ubyte.gz")));

    /// <summary>Image i of the test set, 28 x 28 bytes row-major.</summary>
    public static byte[] Pixels(int i) => Test.Value.Data.Slice(i * FashionMnistData.Pixels, FashionMnistData.Pixels).ToArray();

    /// <summary>Image i as a 28 x 28 greyscale PNG.</summary>
    public static byte[] Png(int i) => PngFile.Grey(Pixels(i), FashionMnistData.ImageSide, FashionMnistData.ImageSide);

    /// <summary>The pixels / 255, as training saw them.</summary>
    public static float[] Scaled(int i) => [.. Pixels(i).Select(p => p / 255f)];
}
