using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Numerics;
using Google.Protobuf;
using Tensorboard;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// Appends TensorBoard <see cref="Event"/>s to one event file in TFRecord framing: the data's length
/// (uint64, little-endian), the masked CRC-32C of those 8 bytes, the data, the masked CRC-32C of the
/// data. The first record names the file version. Writes are buffered; <see cref="Flush"/> hands them
/// to the operating system. Not thread-safe.
/// </summary>
internal sealed class EventFileWriter : IDisposable
{
    private const string FileVersion = "brain.Event:2";
    private const uint MaskDelta = 0xa282ead8;
    private static int _uniqueId;
    private readonly FileStream _stream;

    /// <summary>Creates a new event file in <paramref name="directory"/> (created if missing) and writes its version record.</summary>
    public EventFileWriter(string directory, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Dns.GetHostName()}.{Environment.ProcessId}.{Interlocked.Increment(ref _uniqueId)}");
        Path = System.IO.Path.Combine(directory, name);
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Write(new Event { WallTime = ToSeconds(now), FileVersion = FileVersion });
    }

    /// <summary>The full path of the event file.</summary>
    public string Path { get; }

    /// <summary>Seconds since the Unix epoch, as TensorBoard's wall times and hparams times count them.</summary>
    public static double ToSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Appends one event.</summary>
    public void Write(Event e)
    {
        var data = e.ToByteArray();
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.LongLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
    }

    /// <summary>Hands buffered records to the operating system.</summary>
    public void Flush() => _stream.Flush();

    /// <summary>Syncs the file to the disk and closes it.</summary>
    public void Dispose()
    {
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
    }

    // TFRecord's checksum: CRC-32C (Castagnoli), rotated right by 15 bits plus a constant, so that a
    // checksum over data that itself holds checksums stays well distributed.
    private static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        crc = ~crc;
        return BitOperations.RotateRight(crc, 15) + MaskDelta;
    }
}
