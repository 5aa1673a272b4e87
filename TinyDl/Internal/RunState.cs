namespace TinyDl.Internal;

/// <summary>What a <see cref="Runner"/> hands its <see cref="Checkpointer"/> at the end of an epoch.</summary>
internal sealed record RunState(
    int Epoch,
    Trainer Trainer,
    Validator? Validator,
    Experiment? Experiment,
    IReadOnlyDictionary<Stage, MetricValues> Epochs,
    IReadOnlyDictionary<Stage, MetricValues> Final,
    IReadOnlyDictionary<Stage, MetricValues> Best);
