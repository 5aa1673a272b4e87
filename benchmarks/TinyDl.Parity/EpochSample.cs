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
}

/// <summary>One contender's whole run, as a child process reports it.</summary>
internal sealed record ContenderReport(string Contender, string Workload, List<EpochSample> Epochs, long PeakWorkingSet, long PeakManagedBytes);
