using System.Diagnostics;

namespace TinyDl.Parity;

/// <summary>Process-level measurements taken at the end of every epoch.</summary>
internal static class Measure
{
    public static EpochSample Sample(int epoch, double seconds, double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy)
    {
        using var process = Process.GetCurrentProcess();
        return new EpochSample(
            epoch,
            seconds,
            trainLoss,
            trainAccuracy,
            validationLoss,
            validationAccuracy,
            TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount,
            process.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false));
    }
}
