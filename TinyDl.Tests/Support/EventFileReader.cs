using System.Buffers.Binary;
using Tensorboard;

namespace TinyDl.Tests.Support;

/// <summary>
/// Reads a TensorBoard event file record by record, checking the TFRecord framing and both masked
/// CRC-32C checksums of every record with TorchSharp's CRC-32C, not the writer's.
/// </summary>
internal static class EventFileReader
{
    public static IReadOnlyList<Event> Read(string path)
    {
        byte[] bytes;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var memory = new MemoryStream())
        {
            stream.CopyTo(memory);
            bytes = memory.ToArray();
        }

        var events = new List<Event>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            Require(bytes.Length - offset >= 12, $"a truncated header at byte {offset}");
            var header = bytes[offset..(offset + 8)];
            var length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            Require(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8)) == MaskedCrc(header), $"a wrong length checksum at byte {offset}");
            offset += 12;
            Require((ulong)(bytes.Length - offset) >= length + 4, $"a truncated record at byte {offset}");
            var data = bytes[offset..(offset + (int)length)];
            offset += (int)length;
            Require(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset)) == MaskedCrc(data), $"a wrong data checksum at byte {offset}");
            offset += 4;
            events.Add(Event.Parser.ParseFrom(data));
        }

        return events;
    }

    /// <summary>The summary values of every event, with the event's step, in file order.</summary>
    public static IEnumerable<(long Step, Summary.Types.Value Value)> Values(IEnumerable<Event> events) =>
        events.Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v)));

    public static uint MaskedCrc(byte[] data)
    {
        var crc = TorchSharp.Utils.CRC32C.process(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InvalidDataException($"The event file has {problem}.");
        }
    }
}
