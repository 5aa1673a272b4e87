using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace TinyDl.Internal;

/// <summary>
/// The checkpoint file format, version 3: the magic <c>TINYDLCK</c>, the version (int32), then
/// length-prefixed (int64) sections: the JSON header, then one section per saved state in the order of
/// the header's <c>Sections</c> (<c>model</c>, <c>optimizer/NAME</c> per optimizer, <c>random</c>, and
/// <c>state/NAME</c> per participant state); last the SHA-256 of everything before it, so a damaged file
/// is recognised instead of half-loaded. Little-endian. Versions 1 and 2 (model, optimizers, random
/// state in a fixed order) are still read, as the same named sections.
/// </summary>
internal static class CheckpointFormat
{
    public const int Version = 3;
    public const string ModelSection = "model";
    public const string RandomSection = "random";
    public const string OptimizerPrefix = "optimizer/";
    public const string StatePrefix = "state/";
    private const int HashLength = 32;

    private static ReadOnlySpan<byte> Magic => "TINYDLCK"u8;

    /// <summary>
    /// Writes a checkpoint into <paramref name="buffer"/>, replaced by a larger array only when the
    /// checkpoint does not fit (so that saving every epoch reuses one array instead of leaving megabytes
    /// of large-object garbage), and returns the checkpoint: valid until the buffer is written again.
    /// </summary>
    public static ReadOnlyMemory<byte> Write(CheckpointHeader header, IReadOnlyList<Section> sections, ref byte[] buffer)
    {
        header.Sections = [.. sections.Select(s => s.Name)];
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, CheckpointJsonContext.Default.CheckpointHeader);
        var total = checked((int)(Magic.Length + 4 + 8 + headerBytes.Length + sections.Sum(s => 8 + s.Length) + HashLength));
        if (buffer.Length < total)
        {
            // Room for the header to grow (its history gains an entry every epoch) without a new array.
            buffer = new byte[Math.Min(total + Math.Max(total / 16, 4096L), Array.MaxLength)];
        }

        using var stream = new MemoryStream(buffer, 0, total, writable: true);
        stream.Write(Magic);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(number, Version);
        stream.Write(number[..4]);
        BinaryPrimitives.WriteInt64LittleEndian(number, headerBytes.Length);
        stream.Write(number);
        stream.Write(headerBytes);
        foreach (var section in sections)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, section.Length);
            stream.Write(number);
            var start = stream.Position;
            try
            {
                section.WriteTo(stream);
            }
            catch (NotSupportedException error)
            {
                throw new InvalidOperationException($"The checkpoint section '{section.Name}' wrote more bytes than the {section.Length} it counted; its state changed while it was saved.", error);
            }

            if (stream.Position - start != section.Length)
            {
                throw new InvalidOperationException($"The checkpoint section '{section.Name}' wrote {stream.Position - start} bytes, not the {section.Length} it counted; its state changed while it was saved.");
            }
        }

        var body = total - HashLength;
        SHA256.HashData(buffer.AsSpan(0, body), buffer.AsSpan(body, HashLength));
        return buffer.AsMemory(0, total);
    }

    /// <exception cref="InvalidDataException">The bytes are not a complete checkpoint of a known version.</exception>
    public static (CheckpointHeader Header, Dictionary<string, ReadOnlyMemory<byte>> Sections) Read(byte[] bytes, string path)
    {
        if (bytes.Length < Magic.Length + 4 + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a TinyDl checkpoint.");
        }

        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(body.Length)))
        {
            throw new InvalidDataException($"'{path}' is damaged: its checksum does not match, so it was not written by a complete save.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length));
        if (version is < 1 or > Version)
        {
            throw new InvalidDataException($"'{path}' has checkpoint format version {version}; this TinyDl reads versions 1 to {Version}.");
        }

        var position = Magic.Length + 4;
        CheckpointHeader header;
        try
        {
            header = JsonSerializer.Deserialize(ReadSection(bytes, ref position, body.Length, path).Span, CheckpointJsonContext.Default.CheckpointHeader)
                ?? throw new InvalidDataException($"'{path}' has an empty header.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"'{path}' has an unreadable header: {error.Message}", error);
        }

        if (version < 3)
        {
            // Versions 1 and 2 stored the model, the optimizers (one unnamed in version 1) and the random state in this order.
            if (version == 1)
            {
                header.OptimizerNames = [Optimizers.DefaultName];
            }

            header.Sections = [ModelSection, .. header.OptimizerNames.Select(n => OptimizerPrefix + n), RandomSection];
        }

        var sections = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var name in header.Sections)
        {
            sections[name] = ReadSection(bytes, ref position, body.Length, path);
        }

        return (header, sections);
    }

    private static ReadOnlyMemory<byte> ReadSection(byte[] bytes, ref int position, int end, string path)
    {
        if (position + 8 > end)
        {
            throw new InvalidDataException($"'{path}' is truncated.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position));
        position += 8;
        if (length < 0 || length > end - position)
        {
            throw new InvalidDataException($"'{path}' is truncated.");
        }

        var section = new ReadOnlyMemory<byte>(bytes, position, (int)length);
        position += (int)length;
        return section;
    }

    /// <summary>A named section of a checkpoint: its length in bytes, and what writes exactly that many.</summary>
    public sealed record Section(string Name, long Length, Action<Stream> WriteTo)
    {
        /// <summary>A section of bytes already at hand.</summary>
        public static Section Of(string name, byte[] bytes) => new(name, bytes.Length, stream => stream.Write(bytes));
    }
}
