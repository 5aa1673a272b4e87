using System.Globalization;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Saves a run's checkpoints in one directory and resumes runs from them. Give it to
/// <see cref="Runner.Checkpoints"/>: after every epoch (once its last stage completed, before the
/// next starts) the runner writes <c>last.ckpt</c>; <c>best.ckpt</c> when the monitored metric
/// improved; <c>epoch-NNNN.ckpt</c> for the <see cref="KeepBest"/> best epochs; and, if asked,
/// <c>step.ckpt</c> every <see cref="EverySteps"/> steps. A checkpoint holds the model, the optimizer,
/// TorchSharp's CPU random state, epoch, global step, data order, metric values and best values.
/// Every file is written atomically (temporary file, fsync, rename), so a process killed at any
/// instant leaves the previous checkpoint loadable.
/// </summary>
/// <remarks>
/// <see cref="Runner.Run(int, bool, CancellationToken)"/> with <c>resume: true</c> continues from
/// <c>last.ckpt</c> after checking the experiment and the data fingerprints. A run started without
/// resume deletes the checkpoints it manages in <see cref="Directory"/> first. One run at a time;
/// not thread-safe.
/// </remarks>
public sealed class Checkpointer
{
    private const string EpochPrefix = "epoch-";
    private const string Extension = ".ckpt";
    private MonitorTracker? _monitor;
    private List<EpochRecord> _history = [];

    /// <summary>Creates a checkpointer writing to <paramref name="directory"/>, created when first needed.</summary>
    /// <param name="directory">The checkpoint directory, usually <c>&lt;run directory&gt;/checkpoints</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is null, empty or white space.</exception>
    public Checkpointer(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>A checkpointer for the run directory <c>&lt;out&gt;/&lt;experiment name&gt;/</c>: its <c>checkpoints</c> folder.</summary>
    /// <param name="runDirectory">The run directory.</param>
    /// <returns>A checkpointer with default options.</returns>
    /// <exception cref="ArgumentException"><paramref name="runDirectory"/> is null, empty or white space.</exception>
    public static Checkpointer InRunDirectory(string runDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        return new Checkpointer(Path.Combine(runDirectory, "checkpoints"));
    }

    /// <summary>The full path of the checkpoint directory.</summary>
    public string Directory { get; }

    /// <summary>The checkpoint of the last completed epoch, the one a run resumes from.</summary>
    public string LastPath => Path.Combine(Directory, "last" + Extension);

    /// <summary>The checkpoint of the epoch with the best monitored value.</summary>
    public string BestPath => Path.Combine(Directory, "best" + Extension);

    /// <summary>The checkpoint taken every <see cref="EverySteps"/> steps.</summary>
    public string StepPath => Path.Combine(Directory, "step" + Extension);

    /// <summary>The name of the metric that decides <c>best.ckpt</c> and the top epochs, such as <c>loss</c>;
    /// null to keep only <c>last.ckpt</c>. Defaults to <c>loss</c>.</summary>
    public string? Monitor { get; init; } = "loss";

    /// <summary>The stage whose <see cref="Monitor"/> metric is used. Defaults to <see cref="Stage.Validation"/>.</summary>
    public Stage MonitorStage { get; init; } = Stage.Validation;

    /// <summary>The mode: true to keep the highest value (max), false the lowest (min). Defaults to null,
    /// the metric's own direction (min for losses, max for accuracy).</summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>How many of the best epochs to keep as <c>epoch-NNNN.ckpt</c> (top k). Defaults to 0, none.</summary>
    public int KeepBest { get; init; }

    /// <summary>Every how many training steps to write <c>step.ckpt</c>, a snapshot within an epoch for
    /// inspection; runs resume only from epoch ends. Defaults to 0, never.</summary>
    public int EverySteps { get; init; }

    /// <summary>Fingerprints of each stage's data, such as <c>{ [Stage.Train] = hash, [Stage.Validation] = hash }</c>
    /// (the same dictionary a <see cref="Runs.ManifestWriter"/> takes); saved in every checkpoint under the
    /// stages' names and compared on resume. Defaults to none.</summary>
    public IReadOnlyDictionary<Stage, string> Fingerprints { get; init; } = new Dictionary<Stage, string>();

    /// <summary>Whether to resume even when the experiment or the data fingerprints differ from the
    /// checkpoint's. Defaults to false: such a resume is refused.</summary>
    public bool AllowMismatch { get; init; }

    /// <summary>Whether, when the run ends (all epochs, stopped or cancelled, not failed), the model is
    /// loaded with the weights of <c>best.ckpt</c>; <see cref="RunCompleted.RestoredEpoch"/> then says
    /// which epoch. Defaults to false.</summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>The checkpoint files now in <see cref="Directory"/>, sorted by name.</summary>
    /// <returns>Full paths; none when the directory does not exist.</returns>
    public IReadOnlyList<string> Files() => System.IO.Directory.Exists(Directory)
        ? [.. System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>The path of the top-k checkpoint of <paramref name="epoch"/>, such as <c>epoch-0003.ckpt</c>.</summary>
    /// <param name="epoch">The epoch.</param>
    /// <returns>The full path.</returns>
    public string EpochPath(int epoch) => Path.Combine(Directory, EpochPrefix + epoch.ToString("D4", CultureInfo.InvariantCulture) + Extension);

    /// <summary>Starts a run: returns the checkpoint to resume from, or null to start at epoch 1.</summary>
    internal Checkpoint? Begin(bool resume, Experiment? experiment)
    {
        AtomicFile.DeleteLeftovers(Directory);
        _monitor = Monitor is null ? null : new MonitorTracker(MonitorStage, Monitor, HigherIsBetter, KeepBest);
        _history = [];
        if (!resume || !File.Exists(LastPath))
        {
            foreach (var file in Files())
            {
                File.Delete(file);
            }

            return null;
        }

        var last = Checkpoint.Read(LastPath);
        CheckpointMismatch.ThrowIfAny(last, experiment, FingerprintsByName(), AllowMismatch);
        _history = [.. last.Header.History];
        _monitor?.Restore(last.Header.Monitor);
        Reconcile(last);
        return last;
    }

    /// <summary>Saves the end of an epoch.</summary>
    internal void SaveEpoch(RunState state)
    {
        _history.Add(new EpochRecord { Epoch = state.Epoch, GlobalStep = state.Trainer.GlobalStep, Metrics = ToNames(state.Epochs) });
        var (monitor, dropped) = _monitor is null ? (null, []) : _monitor.Add(state.Epoch, state.Epochs);
        var header = Header(state, withinEpoch: false);
        header.Monitor = monitor;
        var bytes = CheckpointFormat.Write(header, state.Trainer.Model, state.Trainer.Optimizers);

        // last first: a kill between these writes leaves best/top behind, which Begin repairs from last.
        AtomicFile.Write(LastPath, bytes);
        if (monitor is not null && monitor.BestEpoch == state.Epoch)
        {
            AtomicFile.Write(BestPath, bytes);
        }

        if (monitor is not null && monitor.Top.Any(t => t.Epoch == state.Epoch))
        {
            AtomicFile.Write(EpochPath(state.Epoch), bytes);
        }

        foreach (var epoch in dropped)
        {
            File.Delete(EpochPath(epoch));
        }
    }

    /// <summary>Saves a snapshot within an epoch (every N steps).</summary>
    internal void SaveStep(RunState state)
    {
        var header = Header(state, withinEpoch: true);
        AtomicFile.Write(StepPath, CheckpointFormat.Write(header, state.Trainer.Model, state.Trainer.Optimizers));
    }

    /// <summary>Loads the best checkpoint's weights into the model; returns its epoch, or null when there is none.</summary>
    internal int? RestoreBest(nn.Module model)
    {
        if (!RestoreBestWeights || !File.Exists(BestPath))
        {
            return null;
        }

        var best = Checkpoint.Read(BestPath);
        best.LoadModel(model);
        return best.Epoch;
    }

    private static Dictionary<string, List<MetricValue>> ToNames(IReadOnlyDictionary<Stage, MetricValues> values) =>
        values.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToList());

    private CheckpointHeader Header(RunState state, bool withinEpoch) => new()
    {
        Epoch = state.Epoch,
        GlobalStep = state.Trainer.GlobalStep,
        WithinEpoch = withinEpoch,
        SavedAt = DateTimeOffset.UtcNow,
        ExperimentId = state.Experiment?.Id,
        ExperimentName = state.Experiment?.Name,
        Fingerprints = FingerprintsByName(),
        Enumerations = DataOrder.Save(state.Trainer, state.Validator),
        Final = ToNames(state.Final),
        Best = ToNames(state.Best),
        History = [.. _history],
    };

    // A kill between the writes of one epoch leaves best.ckpt or the epoch's top-k file missing while
    // last.ckpt already counts them; they are copies of last.ckpt, so write them again from it. Top-k
    // files no longer listed (a kill before their deletion) are removed.
    private void Reconcile(Checkpoint last)
    {
        if (last.Header.Monitor is not { } monitor)
        {
            return;
        }

        if (monitor.BestEpoch == last.Epoch)
        {
            AtomicFile.Write(BestPath, last.Bytes.Span);
        }

        if (monitor.Top.Any(t => t.Epoch == last.Epoch))
        {
            AtomicFile.Write(EpochPath(last.Epoch), last.Bytes.Span);
        }

        var kept = monitor.Top.Select(t => EpochPath(t.Epoch)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Files().Where(f => Path.GetFileName(f).StartsWith(EpochPrefix, StringComparison.Ordinal) && !kept.Contains(f)))
        {
            File.Delete(file);
        }
    }

    private Dictionary<string, string> FingerprintsByName() =>
        Fingerprints.ToDictionary(kv => kv.Key.ToName(), kv => kv.Value, StringComparer.Ordinal);
}
