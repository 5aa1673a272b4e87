namespace TinyDl.Internal;

/// <summary>The plain-data part of a checkpoint file, stored as JSON before the state sections.</summary>
internal sealed class CheckpointHeader
{
    public int Epoch { get; set; }

    public long GlobalStep { get; set; }

    /// <summary>True for a snapshot taken within an epoch (every N steps); a run never resumes from one.</summary>
    public bool WithinEpoch { get; set; }

    public DateTimeOffset SavedAt { get; set; }

    public string? ExperimentId { get; set; }

    public string? ExperimentName { get; set; }

    public Dictionary<string, string> Fingerprints { get; set; } = [];

    /// <summary>The <see cref="IReplayableData.Enumerations"/> of the run's data, by stage name.</summary>
    public Dictionary<string, int> Enumerations { get; set; } = [];

    /// <summary>Every completed epoch's metric values so far, oldest first.</summary>
    public List<EpochRecord> History { get; set; } = [];

    /// <summary>The optimizers' types, for people reading the header.</summary>
    public string Optimizer { get; set; } = "";

    /// <summary>The optimizers' names, in the order of their sections.</summary>
    public List<string> OptimizerNames { get; set; } = [];

    /// <summary>The names of the sections after the header, in order (version 3).</summary>
    public List<string> Sections { get; set; } = [];

    /// <summary>Versions 1 and 2 only: each stage's last values (version 3 derives them from the history).</summary>
    public Dictionary<string, List<MetricValue>> Final { get; set; } = [];
}

/// <summary>One completed epoch in a checkpoint's history.</summary>
internal sealed class EpochRecord
{
    public int Epoch { get; set; }

    public long GlobalStep { get; set; }

    public Dictionary<string, List<MetricValue>> Metrics { get; set; } = [];

    /// <summary>The epoch's duration over its stages, in seconds (0 in files of version 2 and before).</summary>
    public double Seconds { get; set; }
}
