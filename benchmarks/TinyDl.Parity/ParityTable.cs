using System.Globalization;
using System.Text;

namespace TinyDl.Parity;

/// <summary>Renders the benchmark's results as Markdown, with the ratios the targets are stated in and their spread.</summary>
internal static class ParityTable
{
    private const double MiB = 1024 * 1024;

    public static string Render(IReadOnlyList<ContenderReport> timings, int warmup)
    {
        var text = new StringBuilder();
        foreach (var workload in timings.GroupBy(r => r.Workload))
        {
            var tiny = workload.Where(r => r.Contender.StartsWith("tinydl", StringComparison.Ordinal)).ToList();
            var tinyName = tiny[0].Contender == "tinydl" ? "TinyDl (loss + accuracy on both stages, console + CSV + TensorBoard)" : "TinyDl (loss + accuracy on both stages, no reporters)";
            text.AppendLine(Invariant($"### {workload.Key}: {tinyName}\n"));
            text.AppendLine("| TinyDl against | its s/epoch, median (p25-p75) | TinyDl s/epoch, median (p25-p75) | ratio TinyDl / it, median of paired epochs | ratio p25-p75 | ratio min-max | pairs | final validation loss it / TinyDl |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var (other, label) in new[] { ("independent", "independent TorchSharp loop (no TinyDl type)"), ("hand", "hand loop over TinyDl's TensorBatches") })
            {
                var them = workload.Where(r => r.Contender == other).ToList();
                var pairs = tiny.Zip(them).SelectMany(p => p.First.Epochs.Zip(p.Second.Epochs).Skip(warmup)).ToList();
                var ratios = pairs.Select(p => p.First.Seconds / p.Second.Seconds).ToList();
                var loss = string.Join(", ", tiny.Zip(them).Select(p => Invariant($"{p.Second.Epochs[^1].ValidationLoss:F4} / {p.First.Epochs[^1].ValidationLoss:F4}")));
                text.AppendLine(Invariant($"| {label} | {Spread(pairs.Select(p => p.Second.Seconds))} | {Spread(pairs.Select(p => p.First.Seconds))} | **{Percentile(ratios, 0.5):F3}** | {Percentile(ratios, 0.25):F3}-{Percentile(ratios, 0.75):F3} | {ratios.Min():F3}-{ratios.Max():F3} | {ratios.Count} | {loss} |"));
            }

            var withReporters = tiny.SelectMany(r => r.Epochs.Skip(warmup)).ToList();
            text.AppendLine(Invariant($"\nReporters' handlers, timed around them: median {Percentile(withReporters.Select(e => e.ReporterSeconds).ToList(), 0.5) * 1000:F2} ms per epoch.\n"));
            text.AppendLine("Per batch and per epoch (medians over the same epochs; CPU and allocations of the whole process during the contender's epoch):\n");
            text.AppendLine("| contender | tensors created / batch | managed bytes / batch (training thread) | managed bytes / batch (process) | GCs / epoch (gen0/1/2) | GC pause ms / epoch | user s / epoch | sys s / epoch | cores busy |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var group in workload.GroupBy(r => r.Contender))
            {
                var batches = (double)group.First().BatchesPerEpoch;
                var epochs = group.SelectMany(r => r.Epochs.Skip(warmup)).ToList();
                double M(Func<EpochSample, double> f) => Percentile(epochs.Select(f).ToList(), 0.5);
                text.AppendLine(Invariant($"| {group.Key} | {M(e => e.TensorsCreated) / batches:F1} | {M(e => e.ThreadAllocatedBytes) / batches:F0} | {M(e => e.AllocatedBytes) / batches:F0} | {M(e => e.Collections[0]):F0}/{M(e => e.Collections[1]):F0}/{M(e => e.Collections[2]):F0} | {M(e => e.GcPauseSeconds) * 1000:F1} | {M(e => e.UserSeconds):F2} | {M(e => e.SystemSeconds):F2} | {M(e => (e.UserSeconds + e.SystemSeconds) / e.Seconds):F2} |"));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    public static string RenderMemory(IReadOnlyList<ContenderReport> memory)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | alone in its process, default GC settings | peak working set | peak managed heap | working set after epochs 2, 5, 10, 20, ... (MiB) | working set last / 2nd epoch | live tensors after each epoch |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var run in memory)
        {
            var growth = (double)run.Epochs[^1].WorkingSet / run.Epochs[Math.Min(1, run.Epochs.Count - 1)].WorkingSet;
            var live = run.Epochs.Select(e => e.LiveTensors).Distinct().ToList();
            var series = string.Join(" ", run.Epochs.Where(e => e.Epoch is 2 or 5 || e.Epoch % 10 == 0).Select(e => (e.WorkingSet / MiB).ToString("F0", CultureInfo.InvariantCulture)));
            text.AppendLine(Invariant($"| {run.Workload} | {run.Contender} | {run.PeakWorkingSet / MiB:F0} MiB | {run.PeakManagedBytes / MiB:F1} MiB | {series} | {growth:F3} | {(live.Count == 1 ? $"{live[0]} every epoch" : string.Join(" ", live))} |"));
        }

        return text.ToString();
    }

    /// <summary>The median and the quartiles of some seconds.</summary>
    public static string Spread(IEnumerable<double> values)
    {
        var list = values.ToList();
        return Invariant($"{Percentile(list, 0.5):F3} ({Percentile(list, 0.25):F3}-{Percentile(list, 0.75):F3})");
    }

    /// <summary>The p-quantile, interpolated between the closest ranks.</summary>
    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
