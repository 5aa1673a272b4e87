using System.Globalization;
using Spectre.Console;
using TinyDl.Reporters.Internal;

namespace TinyDl.Reporters;

/// <summary>
/// Prints a run as a table, like skorch's PrintLog: a header once, then one row per epoch when the
/// epoch ends (<see cref="EpochEnded"/>), with <c>epoch</c>, every stage's metrics as <c>stage_metric</c> in the
/// order reported, and <c>duration</c> (the epoch's seconds over all stages). A value that set the run's
/// best (<see cref="EpochCompleted.IsBest"/>) is coloured when the console supports colour and marked with <c>*</c> when it does not (output
/// redirected, <c>NO_COLOR</c>). Rows are plain fixed-width lines written as they come, so a redirected
/// log stays clean; on an interactive ANSI console a progress line (batches, rate, ETA) is shown within
/// each epoch and removed before the row is printed. Each of the epoch's <see cref="EpochCompleted.Warnings"/>
/// (an undefined metric) follows its row as one plain line, <c>warning: validation roc_auc is undefined, ...</c>.
/// When the run starts it says so when it resumes (and from what), and at the end a line says how it ended
/// (and why it stopped), how many epochs it ran and how long it took; a resumed run that had nothing left
/// says it was already complete.
/// </summary>
/// <remarks>
/// The columns are fixed by the first epoch: a metric missing from a later epoch leaves its cell blank,
/// one first reported later is not shown. Handlers run on the training thread; not thread-safe.
/// </remarks>
public sealed class ConsoleTableReporter : Reporter
{
    private static readonly Style BestStyle = new(Color.Green, decoration: Decoration.Bold);
    private readonly IAnsiConsole _console;
    private ProgressLine? _progress;
    private TableLayout? _layout;
    private RunStarted? _start;

    /// <summary>Creates a reporter that prints to the process's console, <see cref="AnsiConsole.Console"/>.</summary>
    public ConsoleTableReporter()
        : this(AnsiConsole.Console)
    {
    }

    /// <summary>Creates a reporter that prints to <paramref name="console"/>.</summary>
    /// <param name="console">The console to print to; its capabilities decide colour and progress.</param>
    /// <exception cref="ArgumentNullException"><paramref name="console"/> is null.</exception>
    public ConsoleTableReporter(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        _console = console;
    }

    /// <summary>
    /// Names of columns not to print, such as <c>train_accuracy</c> or <c>duration</c>. Defaults to none.
    /// </summary>
    public IReadOnlyCollection<string> HiddenColumns { get; init; } = [];

    /// <summary>
    /// Whether to print a <c>samples/s</c> column before <c>duration</c>: the samples of all of the epoch's
    /// stages over its duration. Defaults to false.
    /// </summary>
    public bool ShowSamplesPerSecond { get; init; }

    /// <summary>
    /// Whether to show a progress line within each epoch when the console is interactive and supports
    /// ANSI; never shown otherwise. Defaults to true.
    /// </summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>The clock that times the progress line's rate and ETA. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Every batch, but only when the progress line is shown (otherwise never); the handler reads the
    /// batch number, never its tensors, and redraws at most every 100 ms.
    /// </summary>
    protected override int BatchInterval => ProgressShown ? 1 : 0;

    private bool ProgressShown => ShowProgress && _console.Profile.Capabilities is { Interactive: true, Ansi: true };

    private bool Colours => _console.Profile.Capabilities is { Ansi: true, ColorSystem: not ColorSystem.NoColors };

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e)
    {
        _start = e;
        _layout = null;
        _progress = ProgressShown ? new ProgressLine(_console, TimeProvider) : null;
        if (e.ResumedFrom is { } from)
        {
            _console.Write(new UnwrappedLine(e.AlreadyComplete
                ? $"Resuming from {from}: all {e.Epochs} epochs are done."
                : string.Create(CultureInfo.InvariantCulture, $"Resuming from {from}: epoch {e.Epoch} of {e.Epochs} next.")));
        }
    }

    /// <inheritdoc />
    protected override void OnEpochStarted(EpochStarted e) => _progress?.Start(e);

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e) => _progress?.Update(e.Batch);

    /// <inheritdoc />
    /// <remarks>An end-of-run stage (a test set) prints one footer line with its values.</remarks>
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        _progress?.Clear();
        if (_start is not null && _start.EndStages.Contains(e.Stage))
        {
            var values = string.Join("  ", e.Metrics.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Name} {m.Value:F4}")));
            _console.Write(new UnwrappedLine($"{e.Stage.ToName()} (after epoch {e.Epoch}): {values}"));
        }
    }

    /// <inheritdoc />
    protected override void OnEpochEnded(EpochEnded e)
    {
        _progress?.Clear();
        var parts = e.Stages;
        if (_layout is null)
        {
            _layout = TableLayout.Create(parts, HiddenColumns.ToHashSet(StringComparer.Ordinal), ShowSamplesPerSecond);
            _console.Write(new UnwrappedLine(_layout.Header));
            _console.Write(new UnwrappedLine(_layout.Rule));
        }

        var colours = Colours;
        var segments = _layout.Row(e.Epoch, parts, colours ? ' ' : '*');
        _console.Write(new UnwrappedLine(segments.Select(s => (s.Text, s.Best && colours ? BestStyle : Style.Plain)).ToList()));
        foreach (var part in parts)
        {
            foreach (var warning in part.Warnings)
            {
                _console.Write(new UnwrappedLine($"warning: {part.Stage.ToName()} {warning}"));
            }
        }
    }

    /// <inheritdoc />
    protected override void OnRunCompleted(RunCompleted e)
    {
        _progress?.Clear();
        var ran = e.EpochsRun;
        var summary = string.Create(CultureInfo.InvariantCulture, $"{ran} epoch{(ran == 1 ? string.Empty : "s")}, {e.Elapsed.TotalSeconds:F1} s");
        var (line, colour) = e.Status switch
        {
            RunStatus.Completed when _start is { AlreadyComplete: true } => (string.Create(CultureInfo.InvariantCulture, $"Already complete: epoch {e.Epoch} of {_start.Epochs}; nothing to run."), Color.Green),
            RunStatus.Completed => ($"Run completed: {summary}", Color.Green),
            RunStatus.Stopped => (e.StopReason is { } reason ? $"Run stopped ({reason}): {summary}" : $"Run stopped: {summary}", Color.Yellow),
            RunStatus.Failed => ($"Run failed: {e.Error?.Message ?? "unknown error"} ({summary})", Color.Red),
            _ => ($"Run ended ({e.Status}): {summary}", Color.Default),
        };
        _console.Write(new UnwrappedLine(line, Colours ? new Style(colour) : Style.Plain));
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _progress?.Clear();
        }

        base.Dispose(disposing);
    }
}
