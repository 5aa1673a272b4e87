using System.Buffers.Binary;
using System.Text;

namespace TinyDl.Tests.Support;

/// <summary>
/// An event-file reader that shares nothing with TinyDl, TorchSharp or Google.Protobuf: TFRecord framing
/// checked with its own table-driven CRC-32C (Castagnoli, reflected 0x82F63B78), and protobuf messages
/// decoded by hand into their fields by number (varint, fixed64, length-delimited, fixed32).
/// </summary>
internal static class RawRecords
{
    private static readonly uint[] Table = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    /// <summary>The records of a TFRecord file, each checked against both masked checksums.</summary>
    public static List<byte[]> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        var offset = 0;
        while (offset < bytes.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(offset, 8));
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 8, 4)) != Masked(bytes.AsSpan(offset, 8)))
            {
                throw new InvalidDataException($"Bad length checksum at byte {offset}.");
            }

            var data = bytes.AsSpan(offset + 12, length);
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(offset + 12 + length, 4)) != Masked(data))
            {
                throw new InvalidDataException($"Bad data checksum at byte {offset}.");
            }

            records.Add(data.ToArray());
            offset += 16 + length;
        }

        return records;
    }

    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        var crc = Crc32C(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8;
    }

    /// <summary>A protobuf message as (field number, value) pairs: ulong for varints and fixed, byte[] for length-delimited.</summary>
    public sealed class Message
    {
        private readonly List<(int Field, object Value)> _fields = [];

        public Message(byte[] bytes)
        {
            var i = 0;
            while (i < bytes.Length)
            {
                var key = Varint(bytes, ref i);
                var field = (int)(key >> 3);
                switch (key & 7)
                {
                    case 0: _fields.Add((field, Varint(bytes, ref i))); break;
                    case 1: _fields.Add((field, BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i, 8)))); i += 8; break;
                    case 2:
                        var length = (int)Varint(bytes, ref i);
                        _fields.Add((field, bytes[i..(i + length)]));
                        i += length;
                        break;
                    case 5: _fields.Add((field, (ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i, 4)))); i += 4; break;
                    default: throw new InvalidDataException($"Wire type {key & 7} at byte {i}.");
                }
            }
        }

        public bool Has(int field) => _fields.Any(f => f.Field == field);

        public ulong Number(int field) => _fields.Where(f => f.Field == field).Select(f => (ulong)f.Value).LastOrDefault();

        public float Float(int field) => BitConverter.Int32BitsToSingle((int)Number(field));

        public byte[] Bytes(int field) => _fields.Where(f => f.Field == field).Select(f => (byte[])f.Value).LastOrDefault() ?? [];

        public string Text(int field) => Encoding.UTF8.GetString(Bytes(field));

        public Message Sub(int field) => new(Bytes(field));

        public IEnumerable<Message> All(int field) => _fields.Where(f => f.Field == field).Select(f => new Message((byte[])f.Value));

        /// <summary>A packed repeated float field (or unpacked fixed32 entries).</summary>
        public float[] Floats(int field)
        {
            var values = new List<float>();
            foreach (var (number, value) in _fields.Where(f => f.Field == field))
            {
                if (value is byte[] packed)
                {
                    for (var i = 0; i < packed.Length; i += 4)
                    {
                        values.Add(BinaryPrimitives.ReadSingleLittleEndian(packed.AsSpan(i, 4)));
                    }
                }
                else
                {
                    values.Add(BitConverter.Int32BitsToSingle((int)(ulong)value));
                }
            }

            return [.. values];
        }

        private static ulong Varint(byte[] bytes, ref int i)
        {
            ulong result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = bytes[i++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }
        }
    }
}
