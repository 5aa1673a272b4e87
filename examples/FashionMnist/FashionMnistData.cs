using System.Runtime.InteropServices;
using System.Security.Cryptography;
using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>
/// Fashion-MNIST (Xiao et al., 2017) loaded from its four IDX files into tensors: 60,000 training and
/// 10,000 test images of 28x28 grey pixels in ten classes. Owns its tensors; dispose it to free them.
/// </summary>
public sealed class FashionMnistData : IDisposable
{
    /// <summary>The side of an image in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>The number of pixels of an image, the length of a row of <see cref="FashionMnistSplit.Images"/>.</summary>
    public const int Pixels = ImageSide * ImageSide;

    // The largest IDX file read: the training images are 26 MiB gzipped, 47 MiB raw.
    private const long MaxFileBytes = 256L << 20;

    private FashionMnistData(string directory, FashionMnistSplit train, FashionMnistSplit test, double pixelMean, double pixelStd)
    {
        Directory = directory;
        Train = train;
        Test = test;
        PixelMean = pixelMean;
        PixelStd = pixelStd;
    }

    /// <summary>The names of the ten classes, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The directory the files were read from.</summary>
    public string Directory { get; }

    /// <summary>The training split (60,000 samples in the published data).</summary>
    public FashionMnistSplit Train { get; }

    /// <summary>The test split (10,000 samples in the published data).</summary>
    public FashionMnistSplit Test { get; }

    /// <summary>The mean subtracted from every pixel after scaling to [0, 1]: 0 unless standardised.</summary>
    public double PixelMean { get; }

    /// <summary>The standard deviation every pixel was divided by after scaling: 1 unless standardised.</summary>
    public double PixelStd { get; }

    /// <summary>
    /// Loads the four files <c>train-images-idx3-ubyte.gz</c>, <c>train-labels-idx1-ubyte.gz</c>,
    /// <c>t10k-images-idx3-ubyte.gz</c> and <c>t10k-labels-idx1-ubyte.gz</c> from a directory (each may
    /// also be present un-gzipped, without <c>.gz</c>). Images become float32 [N, 784] scaled to [0, 1];
    /// labels int64 [N]. The tensors live on the CPU outside any dispose scope.
    /// </summary>
    /// <param name="directory">The directory holding the files.</param>
    /// <param name="standardize">Whether to also standardise the pixels with the training set's mean and standard deviation. Defaults to false.</param>
    /// <returns>The data set.</returns>
    /// <exception cref="DataNotFoundException">The directory or a file is missing; the message says how to install the data.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the files do not fit together.</exception>
    /// <exception cref="IOException">A file cannot be read or is not a regular file (a FIFO or device is never opened).</exception>
    public static FashionMnistData Load(string directory, bool standardize = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DataNotFoundException($"The Fashion-MNIST directory '{directory}' does not exist. {DataNotFoundException.InstallHint}")
            {
                Directory = directory,
            };
        }

        string[] names = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];
        var paths = names.Select(name => Locate(directory, name)).ToArray();
        var missing = names.Where((_, i) => paths[i] is null).Select(name => $"{name}.gz").ToArray();
        if (missing.Length > 0)
        {
            throw new DataNotFoundException($"The Fashion-MNIST directory '{directory}' lacks {string.Join(", ", missing)}. {DataNotFoundException.InstallHint}")
            {
                Directory = directory,
            };
        }

        // The two splits' files are independent: reading, unzipping and hashing them side by side hides
        // the smaller one's time. Only managed work runs on the pool thread; the tensors are made here, on
        // the thread that trains. A libtorch operation on another thread starts a second OpenMP team, and
        // with more OpenMP threads than cores libgomp stops spinning between operations: every epoch of
        // the example took 1.6-1.9 s instead of 1.3 s (README, Performance).
        var testTask = Task.Run(() => ReadFiles("test", paths[2]!, paths[3]!));
        FashionMnistSplit? train = null;
        FashionMnistSplit? test = null;
        try
        {
            train = ReadFiles("train", paths[0]!, paths[1]!).ToSplit();
            test = testTask.GetAwaiter().GetResult().ToSplit();
            var (mean, std) = standardize ? Standardize(train, test) : (0.0, 1.0);
            return new FashionMnistData(directory, train, test, mean, std);
        }
        catch
        {
            train?.Dispose();
            test?.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }

    private static string? Locate(string directory, string name)
    {
        var gz = Path.Combine(directory, name + ".gz");
        var raw = Path.Combine(directory, name);
        return File.Exists(gz) ? gz : File.Exists(raw) ? raw : null;
    }

    /// <summary>Reads, unzips, hashes and checks a split's two files: managed work only, safe on any thread.</summary>
    private static SplitFiles ReadFiles(string split, string imagesPath, string labelsPath)
    {
        var imageBytes = TinyDl.SafeFile.ReadAllBytes(imagesPath, MaxFileBytes);
        var labelBytes = TinyDl.SafeFile.ReadAllBytes(labelsPath, MaxFileBytes);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(imageBytes);
        hash.AppendData(labelBytes);
        var fingerprint = Convert.ToHexStringLower(hash.GetHashAndReset());

        var images = Idx.Parse(imageBytes, imagesPath);
        var labels = Idx.Parse(labelBytes, labelsPath);
        if (images.Shape is not [var count, ImageSide, ImageSide])
        {
            throw new InvalidDataException($"'{imagesPath}' holds an array of shape [{string.Join(", ", images.Shape)}]; Fashion-MNIST images are [N, 28, 28].");
        }

        if (labels.Shape is not [var labelCount])
        {
            throw new InvalidDataException($"'{labelsPath}' holds an array of shape [{string.Join(", ", labels.Shape)}]; Fashion-MNIST labels are [N].");
        }

        if (count != labelCount)
        {
            throw new InvalidDataException($"The {split} split has {count} images in '{imagesPath}' but {labelCount} labels in '{labelsPath}'.");
        }

        if (count == 0)
        {
            throw new InvalidDataException($"The {split} split holds no samples ('{imagesPath}').");
        }

        var bad = labels.Data.Span.IndexOfAnyExceptInRange((byte)0, (byte)(ClassNames.Count - 1));
        if (bad >= 0)
        {
            throw new InvalidDataException($"'{labelsPath}' has label {labels.Data.Span[bad]} at index {bad}; Fashion-MNIST labels are 0..9.");
        }

        return new SplitFiles(split, images, labels, count, fingerprint, [imagesPath, labelsPath]);
    }

    // A uint8 tensor sharing the bytes' memory (no copy); convert it before the bytes go away.
    private static Tensor Bytes(ReadOnlyMemory<byte> bytes, long[] shape)
    {
        if (!MemoryMarshal.TryGetArray(bytes, out var segment))
        {
            throw new InvalidOperationException("IDX data is expected to be backed by an array.");
        }

        using var flat = frombuffer(segment.Array!, ScalarType.Byte, segment.Count, segment.Offset);
        return flat.reshape(shape);
    }

    private static (double Mean, double Std) Standardize(FashionMnistSplit train, FashionMnistSplit test)
    {
        double mean, std;
        using (var m = train.Images.mean())
        using (var s = train.Images.std())
        {
            mean = m.item<float>();
            std = s.item<float>();
        }

        foreach (var images in new[] { train.Images, test.Images })
        {
            images.sub_(mean).div_(std);
        }

        return (mean, std);
    }

    /// <summary>A split's checked file contents, before they become tensors.</summary>
    private sealed record SplitFiles(string Split, Idx Images, Idx Labels, int Count, string Fingerprint, string[] Files)
    {
        /// <summary>The split's tensors: images float32 [N, 784] in [0, 1], labels int64 [N]. Call it on the thread that trains.</summary>
        public FashionMnistSplit ToSplit()
        {
            using var pixels = Bytes(Images.Data, [Count, Pixels]);
            using var classes = Bytes(Labels.Data, [Count]);
            var x = pixels.to(float32).div_(255f).DetachFromDisposeScope();
            var y = classes.to(int64).DetachFromDisposeScope();
            return new FashionMnistSplit(Split, x, y, Fingerprint, Files);
        }
    }
}
