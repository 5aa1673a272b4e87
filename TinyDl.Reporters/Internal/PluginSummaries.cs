using Google.Protobuf;
using Tensorboard;

namespace TinyDl.Reporters.Internal;

/// <summary>TensorBoard summary values for images (<c>Summary.Image</c>) and the <c>pr_curves</c> plugin.</summary>
internal static class PluginSummaries
{
    public const string PrCurvesPlugin = "pr_curves";

    /// <summary>A PNG as TensorBoard's image summary (colour space 4: RGBA).</summary>
    public static Summary.Types.Value Image(string tag, byte[] png, int width, int height) => new()
    {
        Tag = tag,
        Image = new Summary.Types.Image { Height = height, Width = width, Colorspace = 4, EncodedImageString = ByteString.CopyFrom(png) },
    };

    /// <summary>
    /// A PR curve as the <c>pr_curves</c> plugin stores it: a float tensor of shape [6, thresholds], rows
    /// TP, FP, TN, FN, precision, recall at thresholds i / (thresholds - 1), with <c>PrCurvePluginData</c>
    /// (version 0, num_thresholds) as the plugin's content.
    /// </summary>
    public static Summary.Types.Value PrCurve(string tag, float[] rows, int thresholds)
    {
        var tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = new TensorShapeProto() };
        tensor.TensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = 6 });
        tensor.TensorShape.Dim.Add(new TensorShapeProto.Types.Dim { Size = thresholds });
        tensor.FloatVal.AddRange(rows);
        return new Summary.Types.Value
        {
            Tag = tag,
            Tensor = tensor,
            Metadata = new SummaryMetadata
            {
                DisplayName = tag,
                PluginData = new SummaryMetadata.Types.PluginData { PluginName = PrCurvesPlugin, Content = PrCurvePluginData(thresholds) },
            },
        };
    }

    // tensorboard/plugins/pr_curve/plugin_data.proto: message PrCurvePluginData { int32 version = 1; uint32 num_thresholds = 2; }
    private static ByteString PrCurvePluginData(int thresholds)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(2, WireFormat.WireType.Varint);
        output.WriteUInt32((uint)thresholds);
        output.Flush();
        return ByteString.CopyFrom(stream.ToArray());
    }
}
