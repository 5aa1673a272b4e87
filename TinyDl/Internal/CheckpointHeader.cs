namespace TinyDl.Internal;

/// <summary>The plain-data part of a checkpoint file, stored as JSON before the tensor sections.</summary>
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

    /// <summary>The <see cref="TensorBatches.Enumerations"/> of the train and evaluation data, by stage name.</summary>
    public Dictionary<string, int> Enumerations { get; set; } = [];

    public Dictionary<string, List<MetricValue>> Final { get; set; } = [];

    public Dictionary<string, List<MetricValue>> Best { get; set; } = [];

    /// <summary>Every completed epoch's metric values so far, oldest first.</summary>
    public List<EpochRecord> History { get; set; } = [];

    public MonitorRecord? Monitor { get; set; }

    /// <summary>The optimizers' types, for people reading the header.</summary>
    public string Optimizer { get; set; } = "";

    /// <summary>The optimizers' names, in the order of their sections.</summary>
    public List<string> OptimizerNames { get; set; } = [];
}

/// <summary>One completed epoch in a checkpoint's history.</summary>
internal sealed class EpochRecord
{
    public int Epoch { get; set; }

    public long GlobalStep { get; set; }

    public Dictionary<string, List<MetricValue>> Metrics { get; set; } = [];
}

/// <summary>The monitored metric's state: this epoch's value, the best epoch and the kept top epochs.</summary>
internal sealed class MonitorRecord
{
    public string Stage { get; set; } = "";

    public string Metric { get; set; } = "";

    public bool HigherIsBetter { get; set; }

    public double Value { get; set; }

    public int BestEpoch { get; set; }

    public double BestValue { get; set; }

    /// <summary>The epochs kept as <c>epoch-NNNN.ckpt</c>, best first.</summary>
    public List<EpochValue> Top { get; set; } = [];
}

/// <summary>An epoch and its monitored value.</summary>
internal sealed record EpochValue(int Epoch, double Value);
