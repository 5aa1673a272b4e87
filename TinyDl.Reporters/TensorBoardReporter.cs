using Tensorboard;
using TinyDl.Reporters.Internal;

namespace TinyDl.Reporters;

/// <summary>
/// Writes a run to a TensorBoard event file: each epoch's metric values as scalars tagged
/// <c>&lt;stage&gt;/&lt;metric&gt;</c> (<c>train/loss</c>, <c>validation/accuracy</c>) at the trainer's global
/// step, so training and validation curves share an axis; optionally the training loss every
/// <see cref="StepInterval"/> steps as <c>train_step/loss</c>; and the hparams plugin's records, so runs
/// compare in TensorBoard's HPARAMS tab with their hyperparameters, metrics and status.
/// </summary>
/// <remarks>
/// One event file per run, created in <see cref="Directory"/> when the run starts, flushed after every
/// epoch and closed when the run ends, however it ends, or when the reporter is disposed. The hparams
/// experiment and session-start records are written once the first epoch has run all its stages (the
/// metric names are known then), or at the end of a run that never got that far; the session-end
/// record at the end reports success for a completed or stopped run and failure for a failed one.
/// Values are stored as TensorBoard's single-precision scalars (NaN included). Records are small
/// buffered writes on the training thread, handed to the operating system once per epoch. Not
/// thread-safe: attach it to one run at a time.
/// </remarks>
public sealed class TensorBoardReporter : Reporter
{
    private readonly List<(string Tag, Stage Stage)> _metrics = [];
    private IReadOnlyList<KeyValuePair<string, object>> _hparams = [];
    private IReadOnlyList<Stage> _stages = [];
    private EventFileWriter? _writer;
    private double _startTime;
    private bool _sessionStarted;

    /// <summary>Creates a reporter that writes into <paramref name="directory"/>.</summary>
    /// <param name="directory">The run's directory, usually <c>&lt;out&gt;/&lt;experiment name&gt;/</c>; created when missing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty or white space.</exception>
    public TensorBoardReporter(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    /// <summary>The directory the event files are written into.</summary>
    public string Directory { get; }

    /// <summary>The event file of the current or last run; null until a run starts.</summary>
    public string? FilePath { get; private set; }

    /// <summary>
    /// Every how many training steps the batch's loss is written as <c>train_step/loss</c>; each costs
    /// one copy of the loss to the host. Defaults to 0, which writes none.
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

    /// <summary>The clock for file names and wall times. Defaults to <see cref="TimeProvider.System"/>.</summary>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public TimeProvider TimeProvider
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    } = TimeProvider.System;

    /// <inheritdoc />
    /// <summary>
    /// A model whose parameters to write as histograms (<c>weights/&lt;parameter name&gt;</c>) every
    /// <see cref="HistogramInterval"/> epochs; null for none. Each histogram copies the parameter to the
    /// host once. Defaults to null.
    /// </summary>
    public TorchSharp.torch.nn.Module? Histograms { get; init; }

    /// <summary>Every how many epochs to write the histograms of <see cref="Histograms"/>. Defaults to 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int HistogramInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1;

    /// <inheritdoc />
    protected override int BatchInterval => StepInterval;

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e)
    {
        Close();
        _hparams = e.Experiment?.Values ?? [];
        _stages = e.Stages;
        _metrics.Clear();
        _sessionStarted = false;
        // TensorBoard drops what earlier event files of the directory hold from this step on: what an
        // interrupted attempt wrote after the resumed step, or the whole of an earlier run started afresh.
        var writer = Open();
        writer.Write(new Event { WallTime = Now(), Step = e.GlobalStep + 1, SessionLog = new SessionLog { Status = SessionLog.Types.SessionStatus.Start } });
    }

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train && e.Loss is not null)
        {
            var value = new Summary.Types.Value { Tag = "train_step/loss", SimpleValue = (float)HostTransfers.ToDouble(e.Loss) };
            Open().Write(new Event { WallTime = Now(), Step = e.GlobalStep, Summary = new Summary { Value = { value } } });
        }
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        var writer = Open();
        var summary = new Summary();
        foreach (var metric in e.Metrics)
        {
            var tag = $"{e.Stage.ToName()}/{metric.Name}";
            summary.Value.Add(new Summary.Types.Value { Tag = tag, SimpleValue = (float)metric.Value });
            if (!_metrics.Contains((tag, e.Stage)))
            {
                _metrics.Add((tag, e.Stage));
            }
        }

        if (summary.Value.Count > 0)
        {
            writer.Write(new Event { WallTime = Now(), Step = e.GlobalStep, Summary = summary });
        }

        var lastStage = _stages.Count > 0 && e.Stage == _stages[^1];
        if (!_sessionStarted && lastStage)
        {
            StartSession(writer);
        }

        if (Histograms is not null && lastStage && e.Epoch % HistogramInterval == 0)
        {
            var histograms = new Summary();
            foreach (var (name, parameter) in Histograms.named_parameters())
            {
                histograms.Value.Add(new Summary.Types.Value { Tag = $"weights/{name}", Histo = WeightHistogram.Of(parameter) });
            }

            writer.Write(new Event { WallTime = Now(), Step = e.GlobalStep, Summary = histograms });
        }

        writer.Flush();
    }

    /// <inheritdoc />
    protected override void OnRunCompleted(RunCompleted e)
    {
        var writer = Open();
        if (!_sessionStarted)
        {
            StartSession(writer);
        }

        var end = Now();
        writer.Write(new Event { WallTime = end, Summary = new Summary { Value = { HParamsPluginData.SessionEndRecord(e.Status, end) } } });
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

    /// <summary>Writes summary values of other reporters (images, PR curves) into this run's event file at <paramref name="step"/>, and flushes.</summary>
    internal void Write(long step, IEnumerable<Summary.Types.Value> values)
    {
        var summary = new Summary();
        summary.Value.AddRange(values);
        var writer = Open();
        writer.Write(new Event { WallTime = Now(), Step = step, Summary = summary });
        writer.Flush();
    }

    private EventFileWriter Open()
    {
        if (_writer is null)
        {
            var now = TimeProvider.GetUtcNow();
            _writer = new EventFileWriter(Directory, now);
            _startTime = EventFileWriter.ToSeconds(now);
            FilePath = _writer.Path;
        }

        return _writer;
    }

    private void StartSession(EventFileWriter writer)
    {
        var wallTime = Now();
        writer.Write(new Event { WallTime = wallTime, Summary = new Summary { Value = { HParamsPluginData.ExperimentRecord(_hparams, _metrics, _startTime) } } });
        writer.Write(new Event { WallTime = wallTime, Summary = new Summary { Value = { HParamsPluginData.SessionStartRecord(_hparams, _startTime) } } });
        _sessionStarted = true;
    }

    private void Close()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private double Now() => EventFileWriter.ToSeconds(TimeProvider.GetUtcNow());
}
