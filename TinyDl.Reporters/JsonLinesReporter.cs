using System.Text.Json;

namespace TinyDl.Reporters;

/// <summary>
/// Writes every event as one JSON object per line (JSON Lines), for tools that read a run as a
/// stream: <c>{"event":"epoch_completed","stage":"validation","epoch":2,"globalStep":1876,...}</c>.
/// Event names are <c>run_started</c>, <c>epoch_started</c>, <c>batch_completed</c> (only with
/// <see cref="StepInterval"/>), <c>epoch_completed</c> and <c>run_completed</c>; stage events carry their
/// <c>stage</c>, run events none; times are seconds;
/// non-finite numbers are written as null. The file is appended to, flushed after every epoch and
/// closed when the run ends.
/// </summary>
/// <remarks>Handlers run on the training thread; not thread-safe.</remarks>
public sealed class JsonLinesReporter : Reporter
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private FileStream? _stream;
    private Utf8JsonWriter? _json;

    /// <summary>Creates a reporter appending to <paramref name="path"/>; its directory is created when the run starts.</summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    public JsonLinesReporter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    /// <summary>The full path of the file.</summary>
    public string Path { get; }

    /// <summary>
    /// Every how many training steps to write a <c>batch_completed</c> line with the batch's loss (one
    /// host transfer each); 0 for none. Defaults to 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int StepInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <inheritdoc />
    protected override int BatchInterval => StepInterval;

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e)
    {
        Close();
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _json = new Utf8JsonWriter(_stream);
        Write("run_started", e, json =>
        {
            json.WriteNumber("epochs", e.Epochs);
            json.WriteStartArray("stages");
            foreach (var stage in e.Stages)
            {
                json.WriteStringValue(stage.ToName());
            }

            json.WriteEndArray();
            if (e.Experiment is { } experiment)
            {
                json.WriteStartObject("experiment");
                json.WriteString("name", experiment.Name);
                json.WriteString("id", experiment.Id);
                json.WriteStartObject("hyperparameters");
                foreach (var (key, value) in experiment.Values)
                {
                    WriteValue(json, key, value);
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }
        });
    }

    /// <inheritdoc />
    protected override void OnEpochStarted(EpochStarted e) =>
        Write("epoch_started", e, json =>
        {
            if (e.Batches is { } batches)
            {
                json.WriteNumber("batches", batches);
            }
        });

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train && e.Loss is { } loss)
        {
            var value = HostTransfers.ToDouble(loss);
            Write("batch_completed", e, json =>
            {
                json.WriteNumber("batch", e.Batch);
                json.WriteNumber("size", e.Size);
                WriteNumber(json, "loss", value);
            });
        }
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        Write("epoch_completed", e, json =>
        {
            WriteMetrics(json, "metrics", e.Metrics);
            json.WriteNumber("duration", e.Duration.TotalSeconds);
            json.WriteNumber("batches", e.Batches);
            json.WriteNumber("samples", e.Samples);
        });
        _stream?.Flush();
    }

    /// <inheritdoc />
    protected override void OnRunCompleted(RunCompleted e)
    {
        Write("run_completed", e, json =>
        {
            json.WriteString("status", e.Status.ToString().ToLowerInvariant());
            WriteStages(json, "final", e.Final);
            WriteStages(json, "best", e.Best);
            if (e.StopReason is { } reason)
            {
                json.WriteString("stopReason", reason);
            }

            if (e.Error is { } error)
            {
                json.WriteString("error", $"{error.GetType().Name}: {error.Message}");
            }
        });
        Close();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Close();
        }

        base.Dispose(disposing);
    }

    private static void WriteStages(Utf8JsonWriter json, string name, IReadOnlyDictionary<Stage, MetricValues> stages)
    {
        json.WriteStartObject(name);
        foreach (var (stage, values) in stages.OrderBy(s => s.Key))
        {
            WriteMetrics(json, stage.ToName(), values);
        }

        json.WriteEndObject();
    }

    private static void WriteMetrics(Utf8JsonWriter json, string name, MetricValues values)
    {
        json.WriteStartObject(name);
        foreach (var value in values)
        {
            WriteNumber(json, value.Name, value.Value);
        }

        json.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteValue(Utf8JsonWriter json, string name, object value)
    {
        switch (value)
        {
            case bool b:
                json.WriteBoolean(name, b);
                break;
            case string s:
                json.WriteString(name, s);
                break;
            default:
                WriteNumber(json, name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }

    private void Write(string name, TrainingEvent e, Action<Utf8JsonWriter> body)
    {
        if (_json is null || _stream is null)
        {
            return;
        }

        _json.Reset(_stream);
        _json.WriteStartObject();
        _json.WriteString("event", name);
        if (e is StageEvent stage)
        {
            _json.WriteString("stage", stage.Stage.ToName());
        }

        _json.WriteNumber("epoch", e.Epoch);
        _json.WriteNumber("globalStep", e.GlobalStep);
        _json.WriteNumber("elapsed", e.Elapsed.TotalSeconds);
        body(_json);
        _json.WriteEndObject();
        _json.Flush();
        _stream.Write(NewLine);
    }

    private void Close()
    {
        _json?.Flush();
        _stream?.Flush(flushToDisk: true);
        _json?.Dispose();
        _stream?.Dispose();
        _json = null;
        _stream = null;
    }
}
