using TorchSharp;

namespace TinyDl;

// The closed family of events a run publishes. All are raised synchronously on the training thread,
// in this order per run: RunStarted; then per epoch, for each stage, EpochStarted, BatchCompleted (once
// per batch) and EpochCompleted, and EpochEnded once every stage of the epoch completed; and finally
// RunCompleted.

/// <summary>
/// Something that happened in a run. Every event carries the epoch (counted from 1), the trainer's
/// global step (optimizer steps so far) and the time elapsed since the run started.
/// </summary>
/// <param name="Epoch">The epoch, counted from 1 (0 before the first epoch).</param>
/// <param name="GlobalStep">The number of training batches completed since the run began.</param>
/// <param name="Elapsed">Time since the run (or the stand-alone epoch) started.</param>
public abstract record TrainingEvent(int Epoch, long GlobalStep, TimeSpan Elapsed);

/// <summary>An event of one stage (training, validation or test) within an epoch.</summary>
/// <param name="Stage">The stage the event belongs to.</param>
/// <param name="Epoch">The epoch, counted from 1.</param>
/// <param name="GlobalStep">The trainer's global step.</param>
/// <param name="Elapsed">Time since the run started.</param>
public abstract record StageEvent(Stage Stage, int Epoch, long GlobalStep, TimeSpan Elapsed)
    : TrainingEvent(Epoch, GlobalStep, Elapsed);

/// <summary>Raised once when a run starts, before its first epoch.</summary>
/// <param name="Epoch">The first epoch this run will run: 1, or the epoch after the last one when resuming.</param>
/// <param name="GlobalStep">The global step the run starts from: 0, or the resumed step.</param>
/// <param name="Elapsed">Zero.</param>
/// <param name="Experiment">The experiment being run, if one was given.</param>
/// <param name="Epochs">The last epoch the run will run if nothing stops it; smaller than <paramref name="Epoch"/>
/// when a resumed run had already finished.</param>
/// <param name="Stages">The stages every epoch runs, in order, such as train then validation; an epoch is
/// complete when the last of them raised <see cref="EpochCompleted"/> (then <see cref="EpochEnded"/> follows).</param>
public sealed record RunStarted(int Epoch, long GlobalStep, TimeSpan Elapsed, Experiment? Experiment, int Epochs, IReadOnlyList<Stage> Stages)
    : TrainingEvent(Epoch, GlobalStep, Elapsed)
{
    /// <summary>When resuming, each stage's best value of every metric over the epochs already done, so
    /// reporters can mark new bests correctly; empty for a run that starts at epoch 1.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Best { get; init; } = new Dictionary<Stage, MetricValues>();

    /// <summary>When resuming, every epoch already done with each stage's metric values, oldest first, so a
    /// participant can rebuild its state (early stopping's patience, a plateau scheduler, a CSV file); empty otherwise.</summary>
    public IReadOnlyList<EpochSummary> History { get; init; } = [];

    /// <summary>What the run resumed from, such as <c>checkpoints/last.ckpt (epoch 3)</c>; null for a run that starts afresh.</summary>
    public string? ResumedFrom { get; init; }

    /// <summary>The stages evaluated once when the epochs are over, such as <see cref="Stage.Test"/> (<see cref="Runner.Test"/>);
    /// their <see cref="EpochCompleted"/> comes after the last <see cref="EpochEnded"/>, with no <see cref="EpochEnded"/> of its own.</summary>
    public IReadOnlyList<Stage> EndStages { get; init; } = [];

    /// <summary>Whether the run has nothing left to do: it resumed after its last epoch.</summary>
    public bool AlreadyComplete => Epoch > Epochs;
}

/// <summary>Raised when a stage starts one epoch, once per stage and epoch.</summary>
/// <param name="Stage">The stage starting.</param>
/// <param name="Epoch">The epoch starting.</param>
/// <param name="GlobalStep">The global step before its first batch.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Batches">The number of batches, when the data knows it (a collection or a DataLoader); otherwise null.</param>
public sealed record EpochStarted(Stage Stage, int Epoch, long GlobalStep, TimeSpan Elapsed, int? Batches)
    : StageEvent(Stage, Epoch, GlobalStep, Elapsed);

/// <summary>
/// Raised after every batch of every stage. Its tensors are valid <b>only during the synchronous
/// OnNext call</b>: the batch's dispose scope frees them right after. Reduce them at once (a metric
/// does) and never keep them. Observers must not dispose them.
/// </summary>
/// <param name="Stage">The stage of the batch.</param>
/// <param name="Epoch">The epoch of the batch.</param>
/// <param name="GlobalStep">For training, the step this batch completed (counted from 1); for evaluation, the trainer's step.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Batch">The batch's number within the epoch, counted from 1.</param>
/// <param name="Size">The number of samples in the batch (the size of the input's first dimension).</param>
/// <param name="Input">The batch's input, on the run's device; null for a named batch without a tensor named <c>input</c>.</param>
/// <param name="Target">The batch's target, on the run's device; null when a custom step has none.</param>
/// <param name="Output">The model's output for the batch; null when a custom step returned none. Observers run with
/// gradients disabled, so what they compute from it builds no autograd graph.</param>
/// <param name="Loss">The mean loss of the batch as the step computed it; null when no loss was computed.</param>
public sealed record BatchCompleted(
    Stage Stage,
    int Epoch,
    long GlobalStep,
    TimeSpan Elapsed,
    int Batch,
    long Size,
    torch.Tensor? Input,
    torch.Tensor? Target,
    torch.Tensor? Output,
    torch.Tensor? Loss)
    : StageEvent(Stage, Epoch, GlobalStep, Elapsed)
{
    private static readonly IReadOnlyDictionary<string, torch.Tensor> NoValues = new Dictionary<string, torch.Tensor>();

    /// <summary>The named tensors a custom step returned (<see cref="StepOutput.Values"/>); empty for a standard step.</summary>
    public IReadOnlyDictionary<string, torch.Tensor> Values { get; init; } = NoValues;

    /// <summary>The named tensor the step returned under <paramref name="name"/>.</summary>
    /// <param name="name">The name, as in <see cref="StepOutput.Values"/>.</param>
    /// <returns>The tensor, valid only during OnNext.</returns>
    /// <exception cref="KeyNotFoundException">The step returned no such value; the message lists those it returned.</exception>
    public torch.Tensor Value(string name) => Values.TryGetValue(name, out var value)
        ? value
        : throw new KeyNotFoundException(Values.Count == 0
            ? $"The {Stage.ToName()} step returned no named values, so there is no '{name}'; return it in StepOutput.Values."
            : $"The {Stage.ToName()} step returned no value named '{name}'; it returned: {string.Join(", ", Values.Keys)}.");
}

/// <summary>Raised when a stage finishes one epoch, with every attached metric computed over the whole epoch.</summary>
/// <param name="Stage">The stage that finished.</param>
/// <param name="Epoch">The epoch that finished.</param>
/// <param name="GlobalStep">The global step after the epoch.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Metrics">The stage's metric values over the epoch: plain numbers, safe to keep.</param>
/// <param name="Duration">How long the stage's epoch took.</param>
/// <param name="Batches">How many batches the epoch had.</param>
/// <param name="Samples">How many samples the epoch had.</param>
public sealed record EpochCompleted(
    Stage Stage,
    int Epoch,
    long GlobalStep,
    TimeSpan Elapsed,
    MetricValues Metrics,
    TimeSpan Duration,
    int Batches,
    long Samples)
    : StageEvent(Stage, Epoch, GlobalStep, Elapsed)
{
    private static readonly IReadOnlyDictionary<string, BestValue> NoBest = new Dictionary<string, BestValue>();

    /// <summary>How many batches the trainer skipped because their loss was not finite
    /// (<see cref="NonFiniteLoss.Skip"/>); they count in neither <see cref="Batches"/> nor the metrics.</summary>
    public int SkippedBatches { get; init; }

    /// <summary>One line per metric whose value is undefined this epoch (reported as NaN), saying which
    /// values and why, such as "roc_auc is undefined, reported as NaN: the targets hold only negatives
    /// this epoch"; empty when every value is defined. See <see cref="Metric.FailWhenUndefined"/>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>The tables the stage's metrics computed over the epoch besides their values, by name, such
    /// as a <c>ConfusionMatrix</c>'s <c>confusion_matrix</c>; empty when no metric reports one.</summary>
    public IReadOnlyDictionary<string, MetricMatrix> Matrices { get; init; } = new Dictionary<string, MetricMatrix>();

    /// <summary>The stage's best value of every metric so far, this epoch included, as the run keeps them
    /// (one rule for all: <see cref="MetricValue.IsBetterThan(double, double)"/>); empty for an epoch run
    /// outside a run (<see cref="Trainer.RunEpoch(int, CancellationToken)"/>).</summary>
    public IReadOnlyDictionary<string, BestValue> Best { get; init; } = NoBest;

    /// <summary>Whether this epoch set the stage's best value of <paramref name="metric"/>.</summary>
    /// <param name="metric">The metric's name, such as <c>loss</c>.</param>
    /// <returns>True when <see cref="Best"/> holds this epoch for the metric.</returns>
    public bool IsBest(string metric) => Best.TryGetValue(metric, out var best) && best.Epoch == Epoch && best.Value.Ranked;
}

/// <summary>
/// Raised once per epoch after every stage of it raised <see cref="EpochCompleted"/>: the run is at a
/// boundary it can resume from. Checkpoints are written here, after every participant handled the
/// epoch's stage events, so a participant whose state changes in those handlers is saved with the change.
/// Handlers should not change state here.
/// </summary>
/// <param name="Epoch">The epoch that ended.</param>
/// <param name="GlobalStep">The global step after it.</param>
/// <param name="Elapsed">Time since the run started.</param>
/// <param name="Stages">The epoch's stage events, in the order of <see cref="RunStarted.Stages"/>.</param>
public sealed record EpochEnded(int Epoch, long GlobalStep, TimeSpan Elapsed, IReadOnlyList<EpochCompleted> Stages)
    : TrainingEvent(Epoch, GlobalStep, Elapsed)
{
    /// <summary>The epoch's duration over all its stages.</summary>
    public TimeSpan Duration => Stages.Aggregate(TimeSpan.Zero, (sum, stage) => sum + stage.Duration);

    /// <summary>The epoch's metric values by stage.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Metrics => Stages.ToDictionary(s => s.Stage, s => s.Metrics);
}

/// <summary>
/// Raised once when a run ends, however it ends: completed, stopped or failed. After it, every stream
/// of the run completes (or, for a failed run, ends with OnError).
/// </summary>
/// <param name="Epoch">The last epoch that finished (0 when none did).</param>
/// <param name="GlobalStep">The global step at the end.</param>
/// <param name="Elapsed">The run's duration.</param>
/// <param name="Status">How the run ended.</param>
/// <param name="Final">Each stage's metric values of the last epoch it finished.</param>
/// <param name="Best">Each stage's best value of every metric over the run, each metric judged by its own direction.</param>
/// <param name="Error">The exception that failed the run, for <see cref="RunStatus.Failed"/>.</param>
public sealed record RunCompleted(
    int Epoch,
    long GlobalStep,
    TimeSpan Elapsed,
    RunStatus Status,
    IReadOnlyDictionary<Stage, MetricValues> Final,
    IReadOnlyDictionary<Stage, MetricValues> Best,
    Exception? Error)
    : TrainingEvent(Epoch, GlobalStep, Elapsed)
{
    /// <summary>The <see cref="StopReason"/> of a run stopped by its cancellation token (Ctrl+C, a signal).</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Why the run stopped, as the participant or the caller that asked said it (such as
    /// <c>early stopping: validation loss did not improve for 3 epochs</c>), or <see cref="Cancelled"/>, for
    /// <see cref="RunStatus.Stopped"/>; otherwise null.</summary>
    public string? StopReason { get; init; }

    /// <summary>How many epochs this run ran (not counting those a resumed run had done before).</summary>
    public int EpochsRun { get; init; }
}
