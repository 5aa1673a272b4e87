using System.Text.Json;
using System.Text.Json.Serialization;
using TinyDl.Runs.Internal;

namespace TinyDl.Runs;

/// <summary>
/// The manifest of one run, stored as <c>run.json</c> in the run directory: what ran (hyperparameters,
/// seed, data and model fingerprints, versions, machine), when, how it ended and its final and best
/// metric values. <see cref="ManifestWriter"/> writes it; <see cref="Highscores"/> reads many.
/// </summary>
/// <remarks>
/// The JSON uses camelCase property names (<c>formatVersion</c>, <c>startedAt</c>); hyperparameter
/// names and metric keys (<c>validation_accuracy</c>) are kept as they are. The status is a lower-case
/// word (<c>running</c>, <c>completed</c>, <c>stopped</c>, <c>failed</c>), times are ISO 8601 with
/// offset, durations are <c>d.hh:mm:ss.fffffff</c>, and a metric that is not a number is written as
/// the string <c>"NaN"</c>. <see cref="FormatVersion"/> changes only when a change would mislead an
/// older reader.
/// </remarks>
public sealed record RunManifest
{
    /// <summary>The manifest's file name in a run directory: <c>run.json</c>.</summary>
    public const string FileName = "run.json";

    /// <summary>The largest manifest read, 64 MiB: a bigger <c>run.json</c> is not a manifest TinyDl wrote.</summary>
    public const long MaxBytes = 64L << 20;

    /// <summary>The format version this TinyDl writes and the newest it reads.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>The manifest's format version. Defaults to <see cref="CurrentFormatVersion"/>.</summary>
    [JsonRequired]
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The run's name: the experiment's name, or the run directory's name without an experiment.</summary>
    [JsonRequired]
    public string Name { get; init; } = "";

    /// <summary>The experiment's stable id (<see cref="Experiment.Id"/>), or null without an experiment.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>The hyperparameters in grid order; values are bool, long, double or string once read back.</summary>
    public IReadOnlyDictionary<string, object> Hyperparameters { get; init; } = new Dictionary<string, object>();

    /// <summary>The seed of the run, when known.</summary>
    public long? Seed { get; init; }

    /// <summary>The run's status: running until it ends, then how it ended.</summary>
    [JsonRequired]
    public RunStatus Status { get; init; }

    /// <summary>For a stopped run, why it stopped (<see cref="RunCompleted.StopReason"/>): <c>cancelled</c> for Ctrl+C or a signal,
    /// or the participant's words, such as <c>early stopping: ...</c>.</summary>
    public string? StopReason { get; init; }

    /// <summary>Whether the run ended as it meant to: completed, or stopped by a participant's decision (early
    /// stopping, a step limit) rather than cancelled or failed. Such a run's weights are ready for use.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool EndedWell => Status == RunStatus.Completed || (Status == RunStatus.Stopped && StopReason is not null && StopReason != RunCompleted.Cancelled);

    /// <summary>For a failed run, the exception's type and message.</summary>
    public string? Error { get; init; }

    /// <summary>When the run started.</summary>
    [JsonRequired]
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>When the manifest was last written.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>When the run ended; null while it runs.</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The run's duration so far (in the run's own clock).</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>The last epoch every stage finished (0 before the first).</summary>
    public int Epoch { get; init; }

    /// <summary>The last epoch the run was asked to train.</summary>
    public int Epochs { get; init; }

    /// <summary>The trainer's global step (optimizer steps so far).</summary>
    public long GlobalStep { get; init; }

    /// <summary>The SHA-256 fingerprints of the data by split name (<c>train</c>, <c>validation</c>, <c>test</c>).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();

    /// <summary>The model's summary, when the writer knew the model.</summary>
    public ModelSummary? Model { get; init; }

    /// <summary>The versions of TinyDl, TorchSharp and .NET that ran the run.</summary>
    public RunVersions? Versions { get; init; }

    /// <summary>The machine that ran the run.</summary>
    public MachineInfo? Machine { get; init; }

    /// <summary>The weights file the run left for use, once it was saved (see <see cref="ManifestWriter.RecordWeights"/>); null before.</summary>
    public WeightsSummary? Weights { get; init; }

    /// <summary>The metrics by key <c>&lt;stage&gt;_&lt;metric&gt;</c>, in the order they were first reported.</summary>
    public IReadOnlyDictionary<string, MetricSummary> Metrics { get; init; } = new Dictionary<string, MetricSummary>();

    /// <summary>Reads a manifest from a file.</summary>
    /// <param name="path">The file, usually <c>&lt;run directory&gt;/run.json</c>.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="IOException">The file cannot be read, is not a regular file (never blocks on a FIFO), or is larger than <see cref="MaxBytes"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a manifest this TinyDl reads (the message says why).</exception>
    public static RunManifest Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(SafeFile.ReadAllBytes(path, MaxBytes));
    }

    /// <summary>Parses a manifest from UTF-8 JSON.</summary>
    /// <param name="utf8Json">The JSON.</param>
    /// <returns>The manifest.</returns>
    /// <exception cref="InvalidDataException">The text is empty, not JSON, misses a required field or has a format version this TinyDl does not read.</exception>
    public static RunManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty)
        {
            throw new InvalidDataException("the manifest is empty (the run may have been killed before writing it).");
        }

        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(utf8Json, ManifestJson.Options);
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"the manifest is not valid: {error.Message}", error);
        }

        return manifest switch
        {
            null => throw new InvalidDataException("the manifest is JSON null."),
            { FormatVersion: > CurrentFormatVersion } => throw new InvalidDataException(
                $"the manifest has format version {manifest.FormatVersion}; this TinyDl reads up to {CurrentFormatVersion}."),
            { FormatVersion: < 1 } => throw new InvalidDataException($"the manifest has an invalid format version {manifest.FormatVersion}."),
            _ => manifest,
        };
    }

    /// <summary>The manifest as indented UTF-8 JSON.</summary>
    /// <returns>The JSON bytes.</returns>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, ManifestJson.Options);

    /// <summary>Writes the manifest to <paramref name="path"/> atomically: a temporary file in the same
    /// directory, flushed to disk, then moved over the old file, so readers see the old or the new
    /// manifest whole, never a part.</summary>
    /// <param name="path">The file, usually <c>&lt;run directory&gt;/run.json</c>.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void WriteTo(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        AtomicFile.Write(path, ToUtf8Json());
    }
}
