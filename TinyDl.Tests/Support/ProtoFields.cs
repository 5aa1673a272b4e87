using Google.Protobuf;

namespace TinyDl.Tests.Support;

/// <summary>
/// A protobuf message decoded into its raw fields by number, for checking messages that have no
/// generated C# type (TensorBoard's hparams records). Absent fields read as proto3 defaults.
/// </summary>
internal sealed class ProtoFields
{
    private readonly List<(int Number, object Value)> _fields = [];

    private ProtoFields(ByteString bytes)
    {
        var input = new CodedInputStream(bytes.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            object value = WireFormat.GetTagWireType(tag) switch
            {
                WireFormat.WireType.Varint => input.ReadUInt64(),
                WireFormat.WireType.Fixed64 => input.ReadFixed64(),
                WireFormat.WireType.LengthDelimited => input.ReadBytes(),
                WireFormat.WireType.Fixed32 => input.ReadFixed32(),
                var other => throw new InvalidDataException($"Unexpected wire type {other}."),
            };
            _fields.Add((WireFormat.GetTagFieldNumber(tag), value));
        }
    }

    /// <summary>The field numbers present, in the order they were written.</summary>
    public IReadOnlyList<int> Numbers => _fields.Select(f => f.Number).ToList();

    public static ProtoFields Parse(ByteString bytes) => new(bytes);

    public ulong Varint(int number) => All(number).Cast<ulong>().SingleOrDefault();

    public double Double(int number) => BitConverter.UInt64BitsToDouble(All(number).Cast<ulong>().SingleOrDefault());

    public ByteString Bytes(int number) => All(number).Cast<ByteString>().SingleOrDefault() ?? ByteString.Empty;

    public string String(int number) => Bytes(number).ToStringUtf8();

    public ProtoFields Message(int number) => Parse(Bytes(number));

    public IReadOnlyList<ProtoFields> Messages(int number) => All(number).Cast<ByteString>().Select(Parse).ToList();

    private IEnumerable<object> All(int number) => _fields.Where(f => f.Number == number).Select(f => f.Value);
}
