using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>The sections of a checkpoint file, still as bytes.</summary>
internal sealed record CheckpointSections(
    CheckpointHeader Header, ReadOnlyMemory<byte> Model, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> Optimizers, ReadOnlyMemory<byte> RandomState);

/// <summary>
/// The checkpoint file format, version 2: the magic <c>TINYDLCK</c>, the version (int32), then
/// length-prefixed (int64) sections: the JSON header, the model's state dict (<c>Module.save</c>),
/// one state per optimizer (<c>save_state_dict</c>) in the order of the header's <c>OptimizerNames</c>,
/// and the CPU generator's state; last the SHA-256 of everything before it, so a damaged file is
/// recognised instead of half-loaded. Little-endian. Version 1 (one optimizer, no names) is still read.
/// </summary>
internal static class CheckpointFormat
{
    public const int Version = 2;
    private const int HashLength = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };

    private static ReadOnlySpan<byte> Magic => "TINYDLCK"u8;

    public static byte[] Write(CheckpointHeader header, nn.Module model, Optimizers optimizers)
    {
        var helpers = optimizers.Select(kv => kv.Value as OptimizerHelper
            ?? throw new NotSupportedException($"The optimizer '{kv.Key}' ({kv.Value.GetType().Name}) cannot save its state; TinyDl checkpoints need TorchSharp optimizers derived from OptimizerHelper.")).ToList();
        header.OptimizerNames = [.. optimizers.Keys];
        header.Optimizer = string.Join(", ", optimizers.Select(kv => optimizers.Count == 1 ? kv.Value.GetType().Name : $"{kv.Key}={kv.Value.GetType().Name}"));
        using var buffer = new MemoryStream();
        buffer.Write(Magic);
        WriteInt32(buffer, Version);
        WriteSection(buffer, JsonSerializer.SerializeToUtf8Bytes(header, Json));
        WriteSection(buffer, writer => model.save(writer));
        foreach (var helper in helpers)
        {
            WriteSection(buffer, helper.save_state_dict);
        }

        using (var state = random.get_rng_state())
        {
            WriteSection(buffer, state.bytes);
        }

        buffer.Write(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
        return buffer.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes are not a complete checkpoint of a known version.</exception>
    public static CheckpointSections Read(byte[] bytes, string path)
    {
        if (bytes.Length < Magic.Length + 4 + HashLength || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"'{path}' is not a TinyDl checkpoint.");
        }

        var body = bytes.AsSpan(0, bytes.Length - HashLength);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(body.Length)))
        {
            throw new InvalidDataException($"The checkpoint '{path}' is damaged (its checksum does not match); it was not written by a complete save.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length));
        if (version is < 1 or > Version)
        {
            throw new InvalidDataException($"The checkpoint '{path}' has format version {version}; this TinyDl reads versions 1 to {Version}.");
        }

        var position = Magic.Length + 4;
        var header = ReadSection(bytes, ref position, body.Length, path);
        var parsed = JsonSerializer.Deserialize<CheckpointHeader>(header.Span, Json)
            ?? throw new InvalidDataException($"The checkpoint '{path}' has an empty header.");
        if (version == 1)
        {
            parsed.OptimizerNames = [Optimizers.DefaultName];
        }

        var model = ReadSection(bytes, ref position, body.Length, path);
        var optimizers = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var name in parsed.OptimizerNames)
        {
            optimizers[name] = ReadSection(bytes, ref position, body.Length, path);
        }

        var state = ReadSection(bytes, ref position, body.Length, path);
        return new CheckpointSections(parsed, model, optimizers, state);
    }

    private static void WriteSection(MemoryStream buffer, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static void WriteSection(MemoryStream buffer, Action<BinaryWriter> write)
    {
        using var section = new MemoryStream();
        using (var writer = new BinaryWriter(section, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        WriteSection(buffer, section.GetBuffer().AsSpan(0, (int)section.Length));
    }

    private static void WriteInt32(MemoryStream buffer, int value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        buffer.Write(bytes);
    }

    private static ReadOnlyMemory<byte> ReadSection(byte[] bytes, ref int position, int end, string path)
    {
        if (position + 8 > end)
        {
            throw new InvalidDataException($"The checkpoint '{path}' is truncated.");
        }

        var length = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(position));
        position += 8;
        if (length < 0 || length > end - position)
        {
            throw new InvalidDataException($"The checkpoint '{path}' is truncated.");
        }

        var section = new ReadOnlyMemory<byte>(bytes, position, (int)length);
        position += (int)length;
        return section;
    }
}
