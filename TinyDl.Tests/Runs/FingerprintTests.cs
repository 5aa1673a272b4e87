using System.Security.Cryptography;
using TinyDl.Runs;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Runs;

public sealed class FingerprintTests : TemporaryDirectoryTests
{
    [Test]
    public void Changing_one_byte_of_one_data_file_changes_only_that_splits_fingerprint()
    {
        // Arrange: three splits of two files each, like images and labels
        var random = new Random(3);
        var splits = new[] { "train", "validation", "test" }.ToDictionary(
            split => split,
            split => new[] { $"{split}-images", $"{split}-labels" }.Select(name =>
            {
                var path = Path.Combine(TestDirectory, name);
                var bytes = new byte[10_000];
                random.NextBytes(bytes);
                File.WriteAllBytes(path, bytes);
                return path;
            }).ToArray());
        var before = splits.ToDictionary(s => s.Key, s => Fingerprint.OfFiles(s.Value));

        // Act: flip one byte of the validation labels
        var changed = splits["validation"][1];
        var content = File.ReadAllBytes(changed);
        content[4_321] ^= 1;
        File.WriteAllBytes(changed, content);
        var after = splits.ToDictionary(s => s.Key, s => Fingerprint.OfFiles(s.Value));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(after["train"], Is.EqualTo(before["train"]));
            Assert.That(after["test"], Is.EqualTo(before["test"]));
            Assert.That(after["validation"], Is.Not.EqualTo(before["validation"]));
            Assert.That(before.Values.Distinct().Count(), Is.EqualTo(3));
        });
    }

    [Test]
    public void A_files_fingerprint_is_the_sha256_of_their_contents_in_order()
    {
        // Arrange
        var first = Path.Combine(TestDirectory, "first");
        var second = Path.Combine(TestDirectory, "second");
        File.WriteAllText(first, "hello ");
        File.WriteAllText(second, "world");

        // Act
        var fingerprint = Fingerprint.OfFiles(first, second);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fingerprint, Is.EqualTo("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"), "sha256 of 'hello world'");
            Assert.That(Fingerprint.OfFiles(second, first), Is.Not.EqualTo(fingerprint));
        });
    }

    [Test]
    public void A_tensors_fingerprint_is_the_sha256_of_its_contiguous_bytes_and_sees_one_changed_element()
    {
        // Arrange
        using var matrix = arange(6, dtype: float32).reshape(2, 3);
        using var transposed = matrix.t();
        using var labels = tensor(new long[] { 1, 2 });
        var expected = Convert.ToHexStringLower(SHA256.HashData(
            new float[] { 0, 1, 2, 3, 4, 5 }.SelectMany(BitConverter.GetBytes).Concat(new long[] { 1, 2 }.SelectMany(BitConverter.GetBytes)).ToArray()));

        // Act
        var fingerprint = Fingerprint.Of(matrix, labels);
        var ofTransposed = Fingerprint.Of(transposed);
        var ofTransposedCopy = Fingerprint.Of(transposed.contiguous());
        matrix[1, 2] = tensor(5.5f);
        var changed = Fingerprint.Of(matrix, labels);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fingerprint, Is.EqualTo(expected));
            Assert.That(ofTransposed, Is.EqualTo(ofTransposedCopy));
            Assert.That(changed, Is.Not.EqualTo(fingerprint));
        });
    }

    [Test]
    public void Models_with_the_same_weights_have_the_same_fingerprint_and_any_change_shows()
    {
        // Arrange
        manual_seed(1);
        using var first = nn.Linear(4, 3);
        manual_seed(1);
        using var second = nn.Linear(4, 3);
        var before = Fingerprint.OfWeights(first);

        // Act
        using (no_grad())
        {
            second.bias!.add_(1e-6f);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(Fingerprint.OfWeights(first), Is.EqualTo(before), "fingerprinting changes nothing");
            Assert.That(Fingerprint.OfWeights(second), Is.Not.EqualTo(before));
        });
    }

    [TestCase(1L << 20)]
    [TestCase(100L)]
    [TestCase(1L)]
    public void The_fingerprint_of_rows_in_place_is_the_fingerprint_of_their_copy(long chunkBytes)
    {
        // Arrange: images and labels, 40 rows of 12 floats; 25 rows kept in a scrambled order
        using var images = randn(40, 12, generator: new TorchSharp.torch.Generator(5));
        using var labels = arange(40, dtype: int64) % 10;
        using var rows = randperm(40, generator: new TorchSharp.torch.Generator(6)).narrow(0, 0, 25);
        using var keptImages = images.index_select(0, rows);
        using var keptLabels = labels.index_select(0, rows);
        using var otherRows = rows.flip(0);

        // Act
        var inPlace = Fingerprint.OfRows(rows, [images, labels], chunkBytes);
        var copy = Fingerprint.Of(keptImages, keptLabels);

        // Assert: equal to the copy's (and to sha256 of its bytes); another order differs
        Assert.Multiple(() =>
        {
            Assert.That(inPlace, Is.EqualTo(copy));
            Assert.That(inPlace, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData([.. keptImages.bytes.ToArray(), .. keptLabels.bytes.ToArray()]))));
            Assert.That(Fingerprint.OfRows(otherRows, images, labels), Is.Not.EqualTo(copy));
            Assert.That(() => Fingerprint.OfRows(images, labels), Throws.ArgumentException.With.Message.Contains("1-D int64"));
        });
    }
}
