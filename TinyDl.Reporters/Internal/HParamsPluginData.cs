using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Tensorboard;
using static Google.Protobuf.WireFormat;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// The records of TensorBoard's hparams plugin, as its summary API writes them: a summary value whose
/// metadata names the plugin and holds a serialized <c>HParamsPluginData</c>
/// (tensorboard/plugins/hparams/plugin_data.proto, with the messages of api.proto). TorchSharp does
/// not ship these messages, so they are encoded here field by field; the comments give each field's
/// proto name. Version 0 is the proto3 default and is therefore not written.
/// </summary>
internal static class HParamsPluginData
{
    public const string ExperimentTag = "_hparams_/experiment";
    public const string SessionStartInfoTag = "_hparams_/session_start_info";
    public const string SessionEndInfoTag = "_hparams_/session_end_info";
    private const string PluginName = "hparams";

    // TensorBoard's NULL_TENSOR: an empty float vector, the smallest valid tensor, for values that only carry metadata.
    private static readonly TensorProto NullTensor = new()
    {
        Dtype = Tensorboard.DataType.DtFloat,
        TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = 0 } } },
    };

    /// <summary>The experiment: every hyperparameter with its type, and every metric by its scalar tag.</summary>
    public static Summary.Types.Value ExperimentRecord(
        IReadOnlyList<KeyValuePair<string, object>> hparams, IEnumerable<(string Tag, Stage Stage)> metrics, double timeCreatedSecs) =>
        Record(ExperimentTag, 2, output => // HParamsPluginData.experiment
        {
            output.WriteTag(3, WireType.Fixed64); // Experiment.time_created_secs
            output.WriteDouble(timeCreatedSecs);
            foreach (var (name, value) in hparams)
            {
                WriteMessage(output, 4, info => // Experiment.hparam_infos
                {
                    WriteString(info, 1, name); // HParamInfo.name
                    WriteEnum(info, 4, DataType(value)); // HParamInfo.type
                });
            }

            foreach (var (tag, stage) in metrics)
            {
                WriteMessage(output, 5, info => // Experiment.metric_infos
                {
                    WriteMessage(info, 1, metric => WriteString(metric, 2, tag)); // MetricInfo.name, MetricName.tag
                    WriteEnum(info, 5, DatasetType(stage)); // MetricInfo.dataset_type
                });
            }
        });

    /// <summary>The session's start: its hyperparameter values and start time.</summary>
    public static Summary.Types.Value SessionStartRecord(IReadOnlyList<KeyValuePair<string, object>> hparams, double startTimeSecs) =>
        Record(SessionStartInfoTag, 3, output => // HParamsPluginData.session_start_info
        {
            foreach (var (name, value) in hparams)
            {
                WriteMessage(output, 1, entry => // SessionStartInfo.hparams, a map entry
                {
                    WriteString(entry, 1, name); // key
                    entry.WriteTag(2, WireType.LengthDelimited); // value
                    entry.WriteMessage(ToValue(value));
                });
            }

            output.WriteTag(5, WireType.Fixed64); // SessionStartInfo.start_time_secs
            output.WriteDouble(startTimeSecs);
        });

    /// <summary>The session's end: how it ended and when.</summary>
    public static Summary.Types.Value SessionEndRecord(RunStatus status, double endTimeSecs) =>
        Record(SessionEndInfoTag, 4, output => // HParamsPluginData.session_end_info
        {
            WriteEnum(output, 1, status switch // SessionEndInfo.status
            {
                RunStatus.Completed or RunStatus.Stopped => 1, // STATUS_SUCCESS
                RunStatus.Failed => 2, // STATUS_FAILURE
                RunStatus.Running => 3, // STATUS_RUNNING
                _ => 0, // STATUS_UNKNOWN
            });
            output.WriteTag(2, WireType.Fixed64); // SessionEndInfo.end_time_secs
            output.WriteDouble(endTimeSecs);
        });

    /// <summary>A hyperparameter value as the plugin stores it: numbers as doubles, floats as they read.</summary>
    public static Value ToValue(object value) => value switch
    {
        bool b => Value.ForBool(b),
        string s => Value.ForString(s),
        int i => Value.ForNumber(i),
        long l => Value.ForNumber(l),
        // Shown as it reads (0.1f as 0.1), though the experiment's identity takes the float exactly.
        float f => Value.ForNumber(double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)),
        double d => Value.ForNumber(d),
        _ => throw new ArgumentException($"Unsupported hyperparameter type {value.GetType().Name}.", nameof(value)),
    };

    // api.proto's DataType: DATA_TYPE_STRING = 1, DATA_TYPE_BOOL = 2, DATA_TYPE_FLOAT64 = 3.
    private static int DataType(object value) => value switch
    {
        string => 1,
        bool => 2,
        _ => 3,
    };

    // api.proto's DatasetType: DATASET_UNKNOWN = 0, DATASET_TRAINING = 1, DATASET_VALIDATION = 2.
    private static int DatasetType(Stage stage) => stage switch
    {
        Stage.Train => 1,
        Stage.Validation => 2,
        _ => 0,
    };

    private static Summary.Types.Value Record(string tag, int dataField, Action<CodedOutputStream> writeData) => new()
    {
        Tag = tag,
        Metadata = new SummaryMetadata
        {
            PluginData = new SummaryMetadata.Types.PluginData
            {
                PluginName = PluginName,
                Content = Encode(output => WriteMessage(output, dataField, writeData)),
            },
        },
        Tensor = NullTensor.Clone(),
    };

    private static void WriteString(CodedOutputStream output, int field, string value)
    {
        output.WriteTag(field, WireType.LengthDelimited);
        output.WriteString(value);
    }

    private static void WriteEnum(CodedOutputStream output, int field, int value)
    {
        if (value != 0)
        {
            output.WriteTag(field, WireType.Varint);
            output.WriteEnum(value);
        }
    }

    private static void WriteMessage(CodedOutputStream output, int field, Action<CodedOutputStream> write)
    {
        output.WriteTag(field, WireType.LengthDelimited);
        output.WriteBytes(Encode(write));
    }

    private static ByteString Encode(Action<CodedOutputStream> write)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            write(output);
        }

        return ByteString.CopyFrom(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
