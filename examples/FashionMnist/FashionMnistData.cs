using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using TinyDl;
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

        // The first TorchSharp use of the program: a shim the system refuses is explained here, in TinyDl's
        // words, before TorchSharp's own message (which blames a missing backend package) can appear.
        NativeLibraries.EnsureLoaded();

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
            using (var files = ReadFiles("train", paths[0]!, paths[1]!))
            {
                train = files.ToSplit();
            }

            using (var files = testTask.GetAwaiter().GetResult())
            {
                test = files.ToSplit();
            }

            var (mean, std) = standardize ? Standardize(train, test) : (0.0, 1.0);
            return new FashionMnistData(directory, train, test, mean, std);
        }
        catch
        {
            train?.Dispose();
            test?.Dispose();

            // The test split's native memory is freed whenever its reading ends, even after this throws.
            _ = testTask.ContinueWith(
                t => (t.IsCompletedSuccessfully ? t.Result : null)?.Dispose(),
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
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
        // Files and decompressed arrays are held in native memory and freed as soon as the tensors are
        // made: as managed arrays they stayed in the process until a full GC (see NativeMemoryPool).
        var held = new List<IDisposable>();
        try
        {
            var imageFile = ReadFile(imagesPath, held);
            var labelFile = ReadFile(labelsPath, held);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(imageFile.Span);
            hash.AppendData(labelFile.Span);
            var fingerprint = Convert.ToHexStringLower(hash.GetHashAndReset());

            var images = Idx.Parse(imageFile, imagesPath, NativeMemoryPool.Shared);
            held.Add(images);
            var labels = Idx.Parse(labelFile, labelsPath, NativeMemoryPool.Shared);
            held.Add(labels);
            var count = Check(split, images, labels);
            return new SplitFiles(split, images, labels, count, fingerprint, [imagesPath, labelsPath], held);
        }
        catch
        {
            Free(held);
            throw;
        }
    }

    /// <summary>A whole regular file in native memory, added to <paramref name="held"/>; refuses one larger than <see cref="MaxFileBytes"/>.</summary>
    private static ReadOnlyMemory<byte> ReadFile(string path, List<IDisposable> held)
    {
        using var stream = TinyDl.SafeFile.OpenRead(path, MaxFileBytes);
        var buffer = NativeMemoryPool.Shared.Rent((int)stream.Length);
        held.Add(buffer);
        var contents = buffer.Memory[..(int)stream.Length];
        stream.ReadExactly(contents.Span);
        return contents;
    }

    private static void Free(List<IDisposable> held)
    {
        foreach (var item in held)
        {
            item.Dispose();
        }

        held.Clear();
    }

    /// <summary>Checks that a split's two arrays are Fashion-MNIST images and their labels; returns the number of samples.</summary>
    private static int Check(string split, Idx images, Idx labels)
    {
        var (imagesPath, labelsPath) = (images.Path, labels.Path);
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

        return count;
    }

    /// <summary>
    /// Pixels as float32 in [0, 1]: each byte divided by 255 in single precision, as libtorch's
    /// <c>to(float32).div_(255)</c> computes it, written straight into the tensor. No intermediate
    /// tensor is made and freed, which would raise glibc's mmap threshold (see NativeMemoryPool).
    /// </summary>
    private static Tensor UnitFloats(ReadOnlySpan<byte> bytes, long[] shape)
    {
        var tensor = empty(shape, float32);
        var destination = MemoryMarshal.Cast<byte, float>(tensor.bytes);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var scale = new Vector<float>(255f);
            var step = Vector<float>.Count;
            for (; i <= bytes.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(bytes[i..]), out var low, out var high);
                Vector.Widen(low, out var a, out var b);
                Vector.Widen(high, out var c, out var d);
                (Vector.ConvertToSingle(a) / scale).CopyTo(destination[i..]);
                (Vector.ConvertToSingle(b) / scale).CopyTo(destination[(i + step)..]);
                (Vector.ConvertToSingle(c) / scale).CopyTo(destination[(i + (2 * step))..]);
                (Vector.ConvertToSingle(d) / scale).CopyTo(destination[(i + (3 * step))..]);
            }
        }

        for (; i < bytes.Length; i++)
        {
            destination[i] = bytes[i] / 255f;
        }

        return tensor;
    }

    /// <summary>Labels as int64, written straight into the tensor.</summary>
    private static Tensor Classes(ReadOnlySpan<byte> bytes)
    {
        var tensor = empty([bytes.Length], int64);
        var destination = MemoryMarshal.Cast<byte, long>(tensor.bytes);
        for (var i = 0; i < bytes.Length; i++)
        {
            destination[i] = bytes[i];
        }

        return tensor;
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

    /// <summary>A split's checked file contents, before they become tensors; disposing it frees them and the memory they were read into.</summary>
    private sealed record SplitFiles(string Split, Idx Images, Idx Labels, int Count, string Fingerprint, string[] Files, List<IDisposable> Held) : IDisposable
    {
        public void Dispose() => Free(Held);

        /// <summary>The split's tensors: images float32 [N, 784] in [0, 1], labels int64 [N]. Call it on the thread that trains.</summary>
        public FashionMnistSplit ToSplit()
        {
            var x = UnitFloats(Images.Data.Span, [Count, Pixels]).DetachFromDisposeScope();
            var y = Classes(Labels.Data.Span).DetachFromDisposeScope();
            return new FashionMnistSplit(Split, x, y, Fingerprint, Files);
        }
    }
}
