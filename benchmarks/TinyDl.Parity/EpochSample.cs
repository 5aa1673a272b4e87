namespace TinyDl.Parity;

/// <summary>What one contender measured for one epoch (train + validation).</summary>
internal sealed record EpochSample(
    int Epoch,
    double Seconds,
    double TrainLoss,
    double TrainAccuracy,
    double ValidationLoss,
    double ValidationAccuracy,
    long LiveTensors,
    long WorkingSet,
    long ManagedBytes)
{
    /// <summary>Time the reporters' handlers took in this epoch, measured around them on the training thread.</summary>
    public double ReporterSeconds { get; init; }

    /// <summary>Tensors created on the training thread in this epoch (TorchSharp's dispose-scope statistics).</summary>
    public long TensorsCreated { get; init; }

    /// <summary>Managed bytes allocated on the training thread in this epoch.</summary>
    public long ThreadAllocatedBytes { get; init; }

    /// <summary>Managed bytes allocated by the whole process in this epoch.</summary>
    public long AllocatedBytes { get; init; }

    /// <summary>Garbage collections of generations 0, 1 and 2 in this epoch.</summary>
    public int[] Collections { get; init; } = [0, 0, 0];

    /// <summary>Time the GC paused the process in this epoch.</summary>
    public double GcPauseSeconds { get; init; }

    /// <summary>User CPU time of the process in this epoch (all threads).</summary>
    public double UserSeconds { get; init; }

    /// <summary>System CPU time of the process in this epoch (all threads).</summary>
    public double SystemSeconds { get; init; }
}

/// <summary>One contender's whole run, as a child process reports it.</summary>
internal sealed record ContenderReport(string Contender, string Workload, List<EpochSample> Epochs, long PeakWorkingSet, long PeakManagedBytes)
{
    /// <summary>Training plus validation batches of one epoch.</summary>
    public int BatchesPerEpoch { get; init; }
}
