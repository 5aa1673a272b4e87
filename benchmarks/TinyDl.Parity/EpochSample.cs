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
    long ManagedBytes);

/// <summary>One contender's whole run, as a child process reports it.</summary>
internal sealed record ContenderReport(string Contender, string Workload, List<EpochSample> Epochs, long PeakWorkingSet, long PeakManagedBytes);
