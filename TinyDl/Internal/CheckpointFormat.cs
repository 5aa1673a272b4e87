using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

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

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    private static ReadOnlySpan<byte> Magic => "TINYDLCK"u8;

    public static byte[] Write(CheckpointHeader header, IReadOnlyList<(string Name, byte[] Bytes)> sections)
    {
        header.Sections = [.. sections.Select(s => s.Name)];
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, Json);
        // Sized once (each section adds a length prefix): growing by doubling copies megabytes per save.
        using var buffer = new MemoryStream(Magic.Length + 4 + HashLength + ((sections.Count + 1) * 8) + headerBytes.Length + sections.Sum(s => s.Bytes.Length));
        buffer.Write(Magic);
        Span<byte> version = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(version, Version);
        buffer.Write(version);
        WriteSection(buffer, headerBytes);
        foreach (var (_, bytes) in sections)
        {
            WriteSection(buffer, bytes);
        }

        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        return buffer.ToArray();
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
            header = JsonSerializer.Deserialize<CheckpointHeader>(ReadSection(bytes, ref position, body.Length, path).Span, Json)
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

    private static void WriteSection(MemoryStream buffer, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
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
}
