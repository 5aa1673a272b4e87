using System.Diagnostics;
using System.Security.Cryptography;
using FashionMnist;
using static TorchSharp.torch;

namespace TinyDl.Tests.Examples;

/// <summary>FashionMnistData on the real data of the Debian package dataset-fashion-mnist; failing with install instructions where it is not installed.</summary>
[NonParallelizable]
public sealed class FashionMnistRealDataTests
{
    private const string Installed = DataNotFoundException.PackageDirectory;
    private FashionMnistData? _data;

    private FashionMnistData Data => _data ?? throw new InvalidOperationException("Not loaded.");

    [OneTimeSetUp]
    public void LoadOnce()
    {
        // Where the data is missing these tests fail with DataNotFoundException's install instructions:
        // the example's end-to-end behaviour is part of the product, not optional.
        var stopwatch = Stopwatch.StartNew();
        _data = FashionMnistData.Load(Installed);
        TestContext.Progress.WriteLine($"Fashion-MNIST loaded in {stopwatch.ElapsedMilliseconds} ms.");
    }

    [OneTimeTearDown]
    public void DisposeData() => _data?.Dispose();

    [Test]
    public void The_splits_have_60000_and_10000_samples_of_784_float32_pixels()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Data.Train.Images.shape, Is.EqualTo(new long[] { 60_000, 784 }));
            Assert.That(Data.Train.Labels.shape, Is.EqualTo(new long[] { 60_000 }));
            Assert.That(Data.Test.Images.shape, Is.EqualTo(new long[] { 10_000, 784 }));
            Assert.That(Data.Test.Labels.shape, Is.EqualTo(new long[] { 10_000 }));
            Assert.That(Data.Train.Images.dtype, Is.EqualTo(ScalarType.Float32));
            Assert.That(Data.Test.Labels.dtype, Is.EqualTo(ScalarType.Int64));
        });
    }

    [Test]
    public void Pixels_span_0_to_1_with_the_published_mean()
    {
        foreach (var split in new[] { Data.Train, Data.Test })
        {
            Assert.Multiple(() =>
            {
                Assert.That(split.Images.min().item<float>(), Is.Zero, split.Name);
                Assert.That(split.Images.max().item<float>(), Is.EqualTo(1f), split.Name);
                Assert.That(split.Images.mean().item<float>(), Is.EqualTo(0.286f).Within(0.002), split.Name);
            });
        }
    }

    [Test]
    public void Every_class_0_to_9_is_present_in_equal_numbers()
    {
        var train = Data.Train.Labels.bincount(null).data<long>().ToArray();
        var test = Data.Test.Labels.bincount(null).data<long>().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(train, Is.EqualTo(Enumerable.Repeat(6000L, 10)));
            Assert.That(test, Is.EqualTo(Enumerable.Repeat(1000L, 10)));
        });
    }

    [Test]
    public void A_fingerprint_is_the_sha256_of_the_split_files_and_differs_between_splits()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(
            File.ReadAllBytes(Path.Combine(Installed, "t10k-images-idx3-ubyte.gz"))
                .Concat(File.ReadAllBytes(Path.Combine(Installed, "t10k-labels-idx1-ubyte.gz"))).ToArray()));

        Assert.Multiple(() =>
        {
            Assert.That(Data.Test.Fingerprint, Is.EqualTo(expected));
            Assert.That(Data.Train.Fingerprint, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(Data.Train.Fingerprint, Is.Not.EqualTo(Data.Test.Fingerprint));
        });
    }

    [Test]
    public void Changing_one_byte_of_one_file_changes_only_that_split_fingerprint()
    {
        // Arrange: a copy of the data with one byte of the test labels' gzip header changed. The byte
        // is part of the modification time, so the file stays valid and its contents the same.
        var copy = System.IO.Directory.CreateTempSubdirectory("tinydl-fmnist-copy-").FullName;
        try
        {
            foreach (var file in System.IO.Directory.GetFiles(Installed))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            var labels = Path.Combine(copy, "t10k-labels-idx1-ubyte.gz");
            var bytes = File.ReadAllBytes(labels);
            Assume.That(bytes[3] & 0x02, Is.Zero, "the gzip header has no CRC of its own");
            bytes[4] ^= 0x01;
            File.WriteAllBytes(labels, bytes);

            // Act
            using var changed = FashionMnistData.Load(copy);

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(changed.Test.Fingerprint, Is.Not.EqualTo(Data.Test.Fingerprint));
                Assert.That(changed.Train.Fingerprint, Is.EqualTo(Data.Train.Fingerprint));
                Assert.That(changed.Test.Labels.eq(Data.Test.Labels).all().item<bool>(), Is.True);
            });
        }
        finally
        {
            System.IO.Directory.Delete(copy, recursive: true);
        }
    }
}
