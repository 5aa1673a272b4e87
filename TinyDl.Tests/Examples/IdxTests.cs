using FashionMnist;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Examples;

public sealed class IdxTests : TemporaryDirectoryTests
{
    [TestCase("a.idx")]
    [TestCase("a.idx.gz")]
    public void A_file_of_unsigned_bytes_is_read_with_its_shape_and_data(string name)
    {
        // Arrange: a 2x3 array.
        var path = Write(name, IdxFiles.Bytes([2, 3], [1, 2, 3, 4, 5, 255]));

        // Act
        var idx = Idx.Read(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(idx.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(idx.Data.ToArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5, 255 }));
            Assert.That(idx.Path, Is.EqualTo(path));
        });
    }

    [Test]
    public void A_large_gzip_file_is_read_whole()
    {
        // Arrange: 1,000 images of 28x28, more than one decompression buffer.
        var data = Enumerable.Range(0, 1000 * 28 * 28).Select(i => (byte)(i * 7)).ToArray();
        var path = Write("images.gz", IdxFiles.Bytes([1000, 28, 28], data));

        // Act
        var idx = Idx.Read(path);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(idx.Shape, Is.EqualTo(new[] { 1000, 28, 28 }));
            Assert.That(idx.Data.Span.SequenceEqual(data), Is.True);
        });
    }

    [Test]
    public void A_gzip_file_decompressed_into_native_memory_is_read_whole_even_when_its_trailer_understates_its_size()
    {
        // Arrange: two gzip members; the trailer of the last one gives only its own size (10 bytes), so
        // the first buffer is far too small and has to grow several times.
        var data = Enumerable.Range(0, 1000 * 28 * 28).Select(i => (byte)(i * 13)).ToArray();
        var idx = IdxFiles.Bytes([1000, 28, 28], data);
        var path = Path.Combine(TestDirectory, "members.gz");
        File.WriteAllBytes(path, [.. IdxFiles.Gzip(idx[..^10]), .. IdxFiles.Gzip(idx[^10..])]);

        // Act
        using var read = Idx.Read(path, NativeMemoryPool.Shared);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(read.Shape, Is.EqualTo(new[] { 1000, 28, 28 }));
            Assert.That(read.Data.Span.SequenceEqual(data), Is.True);
            Assert.That(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(read.Data, out _), Is.False, "native memory, not an array");
        });
    }

    [Test]
    public void A_malformed_file_decompressed_into_native_memory_is_rejected_by_name()
    {
        // Arrange: a valid header that declares more data than the file holds.
        var path = Path.Combine(TestDirectory, "short.gz");
        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Bytes([10, 28, 28], new byte[100])));

        // Act, assert
        var error = Assert.Throws<InvalidDataException>(() => Idx.Read(path, NativeMemoryPool.Shared));
        Assert.That(error!.Message, Does.Contain("short.gz").And.Contain("truncated data"));
    }

    [Test]
    public void An_empty_array_is_read()
    {
        var idx = Idx.Read(Write("empty.idx", IdxFiles.Bytes([0, 28, 28], [])));

        Assert.Multiple(() =>
        {
            Assert.That(idx.Shape, Is.EqualTo(new[] { 0, 28, 28 }));
            Assert.That(idx.Data.Length, Is.Zero);
        });
    }

    [TestCase("bad.idx")]
    [TestCase("bad.idx.gz")]
    public void A_bad_magic_number_is_rejected(string name)
    {
        var bytes = IdxFiles.Bytes([2], [1, 2]);
        bytes[1] = 0x01;

        AssertRejected(name, bytes, "bad magic number 0x00010801");
    }

    [Test]
    public void An_element_type_other_than_unsigned_byte_is_rejected()
    {
        var bytes = IdxFiles.Bytes([1], [0, 0, 0, 0]);
        bytes[2] = 0x0d;

        AssertRejected("floats.idx", bytes, "element type 0x0d (32-bit float) is not supported; only 0x08 (unsigned byte) is");
    }

    [Test]
    public void Zero_dimensions_are_rejected() =>
        AssertRejected("scalar.idx", [0, 0, 8, 0], "0 dimensions");

    [Test]
    public void A_file_shorter_than_the_magic_number_is_rejected() =>
        AssertRejected("short.idx", [0, 0, 8], "expected at least 4 bytes, got 3");

    [Test]
    public void A_truncated_header_is_rejected() =>
        AssertRejected("header.idx", [0, 0, 8, 3, 0, 0, 0, 2, 0, 0], "truncated header: 3 dimensions need 16 bytes, got 10");

    [TestCase("short.idx")]
    [TestCase("short.idx.gz")]
    public void Truncated_data_is_rejected_with_the_expected_and_actual_sizes(string name) =>
        AssertRejected(name, IdxFiles.Bytes([2, 3], [1, 2, 3, 4, 5]), "truncated data: expected 6 bytes for shape [2, 3], got 5");

    [TestCase("long.idx")]
    [TestCase("long.idx.gz")]
    public void Trailing_garbage_is_rejected(string name) =>
        AssertRejected(name, IdxFiles.Bytes([2, 3], [1, 2, 3, 4, 5, 6, 7, 8]), "trailing garbage: 2 bytes after the 6 bytes of shape [2, 3]");

    [Test]
    public void A_gz_file_that_is_not_gzip_compressed_is_rejected()
    {
        var path = Path.Combine(TestDirectory, "plain.idx.gz");
        File.WriteAllBytes(path, IdxFiles.Bytes([20], new byte[20]));

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.That(e.Message, Does.Contain(path).And.Contain("not gzip-compressed"));
    }

    [Test]
    public void A_gzip_compressed_file_without_gz_in_its_name_is_rejected()
    {
        var path = Path.Combine(TestDirectory, "compressed.idx");
        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Bytes([2], [1, 2])));

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.That(e.Message, Does.Contain(path).And.Contain("gzip-compressed but its name does not end in .gz"));
    }

    [Test]
    public void A_truncated_gzip_file_is_rejected()
    {
        // Arrange: a compressed file cut in the middle.
        var data = Enumerable.Range(0, 100_000).Select(i => (byte)(i * i)).ToArray();
        var compressed = IdxFiles.Gzip(IdxFiles.Bytes([100_000], data));
        var path = Path.Combine(TestDirectory, "cut.idx.gz");
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        // Act
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        // Assert: GZipStream ends quietly at the cut, so the IDX size check catches it.
        Assert.That(e.Message, Does.Contain(path).And.Contain("truncated data: expected 100000 bytes for shape [100000], got "));
    }

    [Test]
    public void A_gzip_file_cut_inside_its_header_is_rejected()
    {
        var path = Path.Combine(TestDirectory, "stub.idx.gz");
        File.WriteAllBytes(path, IdxFiles.Gzip(IdxFiles.Bytes([2], [1, 2]))[..10]);

        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        Assert.That(e.Message, Does.Contain(path).And.Contain("truncated gzip file: 10 bytes"));
    }

    [Test]
    public void Corrupt_gzip_data_is_rejected()
    {
        // Arrange: garbage after a valid gzip signature and header.
        var compressed = IdxFiles.Gzip(IdxFiles.Bytes([1000], new byte[1000]));
        for (var i = 10; i < compressed.Length; i++)
        {
            compressed[i] = 0xff;
        }

        var path = Path.Combine(TestDirectory, "corrupt.idx.gz");
        File.WriteAllBytes(path, compressed);

        // Act
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        // Assert
        Assert.That(e.Message, Does.Contain(path).And.Contain("corrupt gzip"));
    }

    private string Write(string name, byte[] idx)
    {
        var path = Path.Combine(TestDirectory, name);
        File.WriteAllBytes(path, name.EndsWith(".gz", StringComparison.Ordinal) ? IdxFiles.Gzip(idx) : idx);
        return path;
    }

    private void AssertRejected(string name, byte[] idx, string problem)
    {
        // Arrange
        var path = Write(name, idx);

        // Act
        var e = Assert.Throws<InvalidDataException>(() => Idx.Read(path));

        // Assert
        Assert.That(e.Message, Does.Contain($"'{path}' is not a valid IDX file").And.Contain(problem));
    }
}
