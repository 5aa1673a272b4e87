using FashionMnist;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Examples;

/// <summary>FashionMnistData on small synthetic files: file lookup, checks and messages.</summary>
public sealed class FashionMnistDataTests : TemporaryDirectoryTests
{
    [Test]
    public void A_missing_directory_says_how_to_install_the_data()
    {
        var missing = Path.Combine(TestDirectory, "nowhere");

        var e = Assert.Throws<DataNotFoundException>(() => FashionMnistData.Load(missing));

        Assert.Multiple(() =>
        {
            Assert.That(e.Message, Does.Contain($"'{missing}' does not exist"));
            Assert.That(e.Message, Does.Contain("sudo apt-get install dataset-fashion-mnist"));
            Assert.That(e.Message, Does.Contain("/usr/share/datasets/fashion-mnist"));
            Assert.That(e.Message, Does.Contain("--data DIR"));
            Assert.That(e.Directory, Is.EqualTo(missing));
        });
    }

    [Test]
    public void A_missing_file_is_named_with_the_install_hint()
    {
        WriteSplits(3, 2);
        File.Delete(Path.Combine(TestDirectory, "t10k-labels-idx1-ubyte.gz"));

        var e = Assert.Throws<DataNotFoundException>(() => FashionMnistData.Load(TestDirectory));

        Assert.That(e.Message, Does.Contain("lacks t10k-labels-idx1-ubyte.gz").And.Contain("apt-get install dataset-fashion-mnist"));
    }

    [Test]
    public void Small_files_load_as_scaled_images_and_int64_labels()
    {
        // Arrange
        WriteSplits(3, 2);

        // Act
        using var data = FashionMnistData.Load(TestDirectory);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(data.Train.Images.shape, Is.EqualTo(new long[] { 3, 784 }));
            Assert.That(data.Train.Images.dtype, Is.EqualTo(ScalarType.Float32));
            Assert.That(data.Train.Images[1, 0].item<float>(), Is.EqualTo(1f / 255f).Within(1e-7));
            Assert.That(data.Train.Images[2, 0].item<float>(), Is.EqualTo(1f));
            Assert.That(data.Train.Labels.dtype, Is.EqualTo(ScalarType.Int64));
            Assert.That(data.Train.Labels.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 1, 2 }));
            Assert.That(data.Test.Count, Is.EqualTo(2));
            Assert.That(data.Test.Files[0], Does.EndWith("t10k-images-idx3-ubyte.gz"));
        });
    }

    [Test]
    public void An_uncompressed_file_is_used_when_the_gz_is_absent()
    {
        // Arrange: the test labels without .gz.
        WriteSplits(3, 2);
        File.Delete(Path.Combine(TestDirectory, "t10k-labels-idx1-ubyte.gz"));
        File.WriteAllBytes(Path.Combine(TestDirectory, "t10k-labels-idx1-ubyte"), IdxFiles.Bytes([2], [9, 8]));

        // Act
        using var data = FashionMnistData.Load(TestDirectory);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(data.Test.Labels.data<long>().ToArray(), Is.EqualTo(new long[] { 9, 8 }));
            Assert.That(data.Test.Files[1], Does.EndWith("t10k-labels-idx1-ubyte"));
        });
    }

    [Test]
    public void Images_that_are_not_28_by_28_are_rejected()
    {
        WriteSplits(3, 2);
        Write("t10k-images-idx3-ubyte.gz", [2, 28, 27], new byte[2 * 28 * 27]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnistData.Load(TestDirectory));

        Assert.That(e.Message, Does.Contain("t10k-images-idx3-ubyte.gz").And.Contain("shape [2, 28, 27]"));
    }

    [Test]
    public void Labels_that_are_not_one_dimensional_are_rejected()
    {
        WriteSplits(3, 2);
        Write("train-labels-idx1-ubyte.gz", [3, 1], [0, 1, 2]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnistData.Load(TestDirectory));

        Assert.That(e.Message, Does.Contain("train-labels-idx1-ubyte.gz").And.Contain("shape [3, 1]"));
    }

    [Test]
    public void Image_and_label_counts_must_match()
    {
        WriteSplits(3, 2);
        Write("train-labels-idx1-ubyte.gz", [4], [0, 1, 2, 3]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnistData.Load(TestDirectory));

        Assert.That(e.Message, Does.Contain("The train split has 3 images").And.Contain("but 4 labels"));
    }

    [Test]
    public void A_label_outside_0_to_9_is_rejected_with_its_index()
    {
        WriteSplits(3, 2);
        Write("t10k-labels-idx1-ubyte.gz", [2], [4, 10]);

        var e = Assert.Throws<InvalidDataException>(() => FashionMnistData.Load(TestDirectory));

        Assert.That(e.Message, Does.Contain("t10k-labels-idx1-ubyte.gz").And.Contain("label 10 at index 1"));
    }

    [Test]
    public void Standardising_centres_the_training_pixels()
    {
        WriteSplits(3, 2);

        using var data = FashionMnistData.Load(TestDirectory, standardize: true);

        Assert.Multiple(() =>
        {
            Assert.That(data.Train.Images.mean().item<float>(), Is.EqualTo(0f).Within(1e-5));
            Assert.That(data.Train.Images.std().item<float>(), Is.EqualTo(1f).Within(1e-4));
            Assert.That(data.PixelStd, Is.GreaterThan(0));
        });
    }

    // Sample i of a split has every pixel equal to i (the last sample 255) and label i % 10.
    private void WriteSplits(int train, int test)
    {
        foreach (var (prefix, n) in new[] { ("train", train), ("t10k", test) })
        {
            var pixels = Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat((byte)(i == n - 1 ? 255 : i), 784)).ToArray();
            Write($"{prefix}-images-idx3-ubyte.gz", [n, 28, 28], pixels);
            Write($"{prefix}-labels-idx1-ubyte.gz", [n], Enumerable.Range(0, n).Select(i => (byte)(i % 10)).ToArray());
        }
    }

    private void Write(string name, int[] shape, byte[] data) =>
        File.WriteAllBytes(Path.Combine(TestDirectory, name), IdxFiles.Gzip(IdxFiles.Bytes(shape, data)));
}
