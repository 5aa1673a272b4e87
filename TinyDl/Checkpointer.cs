using System.Globalization;
using System.Reactive.Disposables;
using TinyDl.Internal;
using TinyDl.Runs;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Saves a run's checkpoints in one directory, and makes the <see cref="TinyDl.ResumePoint"/>s a run resumes
/// from. A participant like any other: attach it to a <see cref="Runner"/> or a <see cref="Trainer"/>. At the
/// end of every epoch (<see cref="EpochEnded"/>, after every other participant handled the epoch) it writes
/// <c>last.ckpt</c>; <c>best.ckpt</c> when the monitored metric reached a new best; <c>epoch-NNNN.ckpt</c> for
/// the <see cref="KeepBest"/> best epochs; and, if asked, <c>step.ckpt</c> every <see cref="EverySteps"/>
/// steps. A checkpoint holds the model, the optimizers, TorchSharp's CPU random state, the data order,
/// epoch, global step, every epoch's metric values, and the run's participant states
/// (<see cref="IRunEvents.AddState"/>). Every file is written atomically (temporary file, fsync, rename),
/// so a process killed at any instant leaves the previous checkpoint loadable.
/// </summary>
/// <remarks>
/// Nothing is deleted that the run did not write: a run that starts afresh where checkpoints already are
/// moves them aside into <c>previous-N/</c> (<see cref="KeptAsideIn"/>); only the top-k files this run
/// itself retires are deleted. A monitored metric that is NaN or infinite fails the run
/// (<see cref="NonFiniteValueException"/>), so no such epoch is saved. One run at a time; not thread-safe.
/// </remarks>
public sealed partial class Checkpointer : RunParticipant
{
    private const string EpochPrefix = "epoch-";
    private const string Extension = ".ckpt";
    private readonly List<EpochRecord> _history = [];
    private readonly List<(int Epoch, MetricValue Value)> _top = [];
    private IRunState? _run;
    private Experiment? _experiment;
    private CheckpointResumePoint? _offered;
    private MetricValue? _monitored;
    private bool _improved;

    // Every checkpoint is written into this one array, replaced only when a checkpoint outgrows it.
    private byte[] _buffer = [];

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

    /// <summary>The name of the metric that decides <c>best.ckpt</c> and the top epochs, such as <c>loss</c>, judged in
    /// the metric's own direction; null to keep only <c>last.ckpt</c>. Defaults to <c>loss</c>.</summary>
    public string? Monitor { get; init; } = "loss";

    /// <summary>The stage whose <see cref="Monitor"/> metric is used. Defaults to <see cref="Stage.Validation"/>.</summary>
    public Stage MonitorStage { get; init; } = Stage.Validation;

    /// <summary>How many of the best epochs to keep as <c>epoch-NNNN.ckpt</c> (top k). Defaults to 0, none.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int KeepBest
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Every how many training steps to write <c>step.ckpt</c>, a snapshot within an epoch for
    /// inspection; runs resume only from epoch ends. Defaults to 0, never.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int EverySteps
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>Fingerprints of each stage's data, such as <c>{ [Stage.Train] = hash, [Stage.Validation] = hash }</c>
    /// (the same dictionary a <see cref="ManifestWriter"/> takes); saved in every checkpoint under the
    /// stages' names and compared on resume. Defaults to none.</summary>
    public IReadOnlyDictionary<Stage, string> Fingerprints { get; init; } = new Dictionary<Stage, string>();

    /// <summary>Whether to resume even when the experiment or the data fingerprints differ from the
    /// checkpoint's. Defaults to false: such a resume is refused.</summary>
    public bool AllowMismatch { get; init; }

    /// <summary>
    /// Whether the model gets the weights of <c>best.ckpt</c> when the epochs are over: before the run's test
    /// stage (<see cref="Runner.Test"/>), or at the end of a run without one (not of a failed run), so the test
    /// and whoever saves the model after the run use the best epoch's weights. <see cref="RestoredEpoch"/> then
    /// says which epoch. Defaults to false: the model keeps its last weights.
    /// </summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>The epoch whose best weights <see cref="RestoreBestWeights"/> loaded into the model in the last run; null when none were.</summary>
    public int? RestoredEpoch { get; private set; }

    /// <summary>Where this run moved the checkpoints it found when it started afresh; null when there were none.</summary>
    public string? KeptAsideIn { get; private set; }

    /// <inheritdoc />
    protected override int BatchInterval => EverySteps;

    /// <summary>The checkpoint files now in <see cref="Directory"/>, sorted by name.</summary>
    /// <returns>Full paths; none when the directory does not exist.</returns>
    public IReadOnlyList<string> Files() => System.IO.Directory.Exists(Directory)
        ? [.. System.IO.Directory.EnumerateFiles(Directory, "*" + Extension).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal)]
        : [];

    /// <summary>The path of the top-k checkpoint of <paramref name="epoch"/>, such as <c>epoch-0003.ckpt</c>.</summary>
    /// <param name="epoch">The epoch.</param>
    /// <returns>The full path.</returns>
    public string EpochPath(int epoch) => Path.Combine(Directory, EpochPrefix + epoch.ToString("D4", CultureInfo.InvariantCulture) + Extension);

    /// <inheritdoc />
    protected override void Attached(IRunEvents run, CompositeDisposable subscriptions) =>
        _run = run as IRunState ?? throw new ArgumentException($"A checkpointer saves a training run: attach it to a Runner or a Trainer, not a {run.GetType().Name}.", nameof(run));

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e)
    {
        AtomicFile.DeleteLeftovers(Directory);
        RestoredEpoch = null;
        _experiment = e.Experiment;
        _history.Clear();
        _history.AddRange(e.History.Select(h => Record(h.Epoch, h.GlobalStep, h.Metrics, h.Duration)));
        _top.Clear();
        foreach (var epoch in e.History)
        {
            if (Monitor is not null && epoch.Metrics.TryGetValue(MonitorStage, out var values) && values.TryGet(Monitor, out var value))
            {
                Keep(epoch.Epoch, value);
            }
        }

        var mine = _offered is { } offered && e.ResumedFrom == offered.Description && e.Epoch - 1 == offered.Checkpoint.Epoch ? offered.Checkpoint : null;
        if (mine is not null && mine.Path == LastPath)
        {
            Reconcile(mine, e.History);
        }
        else if (Files() is { Count: > 0 } earlier)
        {
            // Starting afresh (or from a checkpoint that is not this directory's last one): keep what is here.
            KeptAsideIn = KeptAside.Move(Directory, earlier);
        }
    }

    /// <inheritdoc />
    protected override void OnEpochStarted(EpochStarted e)
    {
        if (e.Stage == Stage.Test && RestoreBestWeights && RestoredEpoch is null)
        {
            RestoredEpoch = LoadBest(_run!.Model);
        }
    }

    /// <inheritdoc />
    protected override void OnRunCompleted(RunCompleted e)
    {
        if (RestoreBestWeights && RestoredEpoch is null && e.Status != RunStatus.Failed)
        {
            RestoredEpoch = LoadBest(_run!.Model);
        }
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (Monitor is not null && e.Stage == MonitorStage)
        {
            _monitored = NonFiniteValueException.RequireFinite(e, Monitor, "the checkpointer");
            _improved = e.IsBest(Monitor);
        }
    }

    /// <inheritdoc />
    protected override void OnEpochEnded(EpochEnded e)
    {
        if (Monitor is not null && _monitored is null)
        {
            throw new InvalidOperationException(
                $"The checkpointer monitors the {MonitorStage.ToName()} metric '{Monitor}', but epoch {e.Epoch} had no {MonitorStage.ToName()} stage (it ran: {string.Join(", ", e.Stages.Select(s => s.Stage.ToName()))}). Set Checkpointer.MonitorStage to one of these, or Monitor to null to keep only last.ckpt.");
        }

        _history.Add(Record(e.Epoch, e.GlobalStep, e.Metrics, e.Duration));
        var bytes = CheckpointContent.Write(_run!, Header(e.Epoch, e.GlobalStep, withinEpoch: false), ref _buffer).Span;

        // last first: a kill between these writes leaves best/top behind, which the next start repairs from last.
        AtomicFile.Write(LastPath, bytes);
        if (_improved)
        {
            AtomicFile.Write(BestPath, bytes);
        }

        if (_monitored is { } monitored)
        {
            foreach (var dropped in Keep(e.Epoch, monitored))
            {
                File.Delete(EpochPath(dropped));
            }

            if (_top.Any(t => t.Epoch == e.Epoch))
            {
                AtomicFile.Write(EpochPath(e.Epoch), bytes);
            }
        }

        _monitored = null;
        _improved = false;
    }

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train)
        {
            AtomicFile.Write(StepPath, CheckpointContent.Write(_run!, Header(e.Epoch - 1, e.GlobalStep, withinEpoch: true), ref _buffer).Span);
        }
    }

    private static EpochRecord Record(int epoch, long step, IReadOnlyDictionary<Stage, MetricValues> metrics, TimeSpan duration) => new()
    {
        Epoch = epoch,
        GlobalStep = step,
        Metrics = metrics.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.ToList()),
        Seconds = duration.TotalSeconds,
    };

    /// <summary>Adds an epoch to the top k; returns the epochs that left it (an earlier epoch wins a tie).</summary>
    private List<int> Keep(int epoch, MetricValue value)
    {
        var dropped = new List<int>();
        if (KeepBest == 0)
        {
            return dropped;
        }

        var position = _top.FindIndex(t => value.IsBetterThan(t.Value.Value));
        _top.Insert(position < 0 ? _top.Count : position, (epoch, value));
        while (_top.Count > KeepBest)
        {
            dropped.Add(_top[^1].Epoch);
            _top.RemoveAt(_top.Count - 1);
        }

        return dropped;
    }

    private CheckpointHeader Header(int epoch, long step, bool withinEpoch) => new()
    {
        Epoch = epoch,
        GlobalStep = step,
        WithinEpoch = withinEpoch,
        SavedAt = DateTimeOffset.UtcNow,
        ExperimentId = _experiment?.Id,
        ExperimentName = _experiment?.Name,
        Fingerprints = FingerprintsByName(),
        History = [.. _history],
    };

    // A kill between the writes of one epoch leaves best.ckpt or the epoch's top-k file missing while
    // last.ckpt already counts them; they are copies of last.ckpt, so write them again from it. Top-k
    // files no longer listed (a kill before their deletion) are removed.
    private void Reconcile(Checkpoint last, IReadOnlyList<EpochSummary> history)
    {
        if (Monitor is null)
        {
            return;
        }

        var best = new BestTracker();
        IReadOnlyDictionary<string, BestValue> bests = new Dictionary<string, BestValue>();
        foreach (var epoch in history)
        {
            if (epoch.Metrics.TryGetValue(MonitorStage, out var values))
            {
                bests = best.Record(MonitorStage, epoch.Epoch, values);
            }
        }

        if (bests.TryGetValue(Monitor, out var bestValue) && bestValue.Epoch == last.Epoch)
        {
            AtomicFile.Write(BestPath, last.Bytes);
        }

        if (_top.Any(t => t.Epoch == last.Epoch) && !File.Exists(EpochPath(last.Epoch)))
        {
            AtomicFile.Write(EpochPath(last.Epoch), last.Bytes);
        }

        var kept = _top.Select(t => EpochPath(t.Epoch)).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Files().Where(f => Path.GetFileName(f).StartsWith(EpochPrefix, StringComparison.Ordinal) && !kept.Contains(f)))
        {
            File.Delete(file);
        }
    }

    private Dictionary<string, string> FingerprintsByName() =>
        Fingerprints.ToDictionary(kv => kv.Key.ToName(), kv => kv.Value, StringComparer.Ordinal);
}
