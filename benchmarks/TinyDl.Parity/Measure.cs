using System.Diagnostics;

namespace TinyDl.Parity;

/// <summary>
/// Process-level measurements: a snapshot taken when a contender's epoch starts, and the sample taken
/// when it ends, with the counters' differences over that epoch.
/// </summary>
internal static class Measure
{
    public static Snapshot Start() => Snapshot.Take();

    public static EpochSample Sample(Snapshot start, int epoch, double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy)
    {
        var end = Snapshot.Take();
        using var process = Process.GetCurrentProcess();
        return new EpochSample(
            epoch,
            (end.Ticks - start.Ticks) / (double)Stopwatch.Frequency,
            trainLoss,
            trainAccuracy,
            validationLoss,
            validationAccuracy,
            TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount,
            process.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false))
        {
            TensorsCreated = end.Tensors - start.Tensors,
            ThreadAllocatedBytes = end.ThreadAllocated - start.ThreadAllocated,
            AllocatedBytes = end.Allocated - start.Allocated,
            Collections = [end.Gen0 - start.Gen0, end.Gen1 - start.Gen1, end.Gen2 - start.Gen2],
            GcPauseSeconds = (end.Pause - start.Pause).TotalSeconds,
            UserSeconds = (end.User - start.User).TotalSeconds,
            SystemSeconds = (end.System - start.System).TotalSeconds,
        };
    }

    /// <summary>Cumulative counters of the process (and, for allocations and tensors, of this thread).</summary>
    internal readonly record struct Snapshot(long Ticks, long Tensors, long ThreadAllocated, long Allocated, int Gen0, int Gen1, int Gen2, TimeSpan Pause, TimeSpan User, TimeSpan System)
    {
        public static Snapshot Take()
        {
            var statistics = TorchSharp.DisposeScopeManager.Statistics;
            using var process = Process.GetCurrentProcess();
            return new Snapshot(
                Stopwatch.GetTimestamp(),
                statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount,
                GC.GetAllocatedBytesForCurrentThread(),
                GC.GetTotalAllocatedBytes(precise: false),
                GC.CollectionCount(0),
                GC.CollectionCount(1),
                GC.CollectionCount(2),
                GC.GetTotalPauseDuration(),
                process.UserProcessorTime,
                process.PrivilegedProcessorTime);
        }
    }
}
