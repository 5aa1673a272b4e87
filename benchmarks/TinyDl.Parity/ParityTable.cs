using System.Globalization;
using System.Text;

namespace TinyDl.Parity;

/// <summary>Renders the benchmark's result as Markdown, with the ratios the targets are stated in.</summary>
internal static class ParityTable
{
    private const double MiB = 1024 * 1024;

    public static string Render(IReadOnlyList<ContenderReport> timings, IReadOnlyList<ContenderReport> memory, int warmup)
    {
        var text = new StringBuilder();
        foreach (var workload in timings.GroupBy(r => r.Workload))
        {
            text.AppendLine(Invariant($"### {workload.Key}\n"));
            text.AppendLine("| TinyDl variant (interleaved with the hand-written loop) | hand s/epoch | TinyDl s/epoch | ratio (median of paired epochs) | final losses hand vs TinyDl |");
            text.AppendLine("|---|---|---|---|---|");
            var ratios = new Dictionary<string, double>();
            foreach (var variant in new[] { "tinydl", "tinydl-no-reporters" })
            {
                var tiny = workload.Where(r => r.Contender == variant).ToList();
                var hand = workload.Where(r => r.Contender == $"hand|{variant}").ToList();
                var paired = tiny.Zip(hand).SelectMany(p => p.First.Epochs.Zip(p.Second.Epochs).Skip(warmup).Select(e => e.First.Seconds / e.Second.Seconds));
                ratios[variant] = Median(paired);
                var difference = tiny.Zip(hand).Max(p => Math.Max(
                    Math.Abs(p.First.Epochs[^1].TrainLoss - p.Second.Epochs[^1].TrainLoss),
                    Math.Abs(p.First.Epochs[^1].ValidationLoss - p.Second.Epochs[^1].ValidationLoss)));
                var label = variant == "tinydl" ? "loss + accuracy on both stages, console + CSV + TensorBoard" : "loss + accuracy on both stages, no reporters";
                text.AppendLine(Invariant($"| {label} | {Median(hand, warmup):F3} | {Median(tiny, warmup):F3} | {ratios[variant]:F3} | {(difference <= 1e-5 ? "agree" : "DIFFER")} ({difference:E1}) |"));
            }

            var withReporters = workload.Where(r => r.Contender == "tinydl").SelectMany(r => r.Epochs.Skip(warmup)).ToList();
            var share = Median(withReporters.Select(e => e.ReporterSeconds / e.Seconds));
            text.AppendLine(Invariant($"\nConsole + CSV + TensorBoard handlers, timed around them: median {Median(withReporters.Select(e => e.ReporterSeconds)) * 1000:F2} ms per epoch, {share * 100:F3} % of the epoch (the difference of the two ratios above, {(ratios["tinydl"] - ratios["tinydl-no-reporters"]) * 100:+0.0;-0.0} %, is within the run-to-run noise).\n"));
            var alone = memory.Where(r => r.Workload == workload.Key).ToList();
            text.AppendLine("Memory, each contender alone in its process; \"gen0 4 MiB\" runs with DOTNET_GCgen0size=0x400000:\n");
            if (alone.Count > 0)
            {
                text.AppendLine("| alone in its process | peak working set | peak managed heap | working set after epochs 2, 5, 10, 20, ... (MiB) | working set last / 2nd epoch | live tensors after each epoch |");
                text.AppendLine("|---|---|---|---|---|---|");
                foreach (var run in alone)
                {
                    var growth = (double)run.Epochs[^1].WorkingSet / run.Epochs[Math.Min(1, run.Epochs.Count - 1)].WorkingSet;
                    var live = run.Epochs.Select(e => e.LiveTensors).Distinct().ToList();
                    var series = string.Join(" ", run.Epochs.Where(e => e.Epoch is 2 or 5 || e.Epoch % 10 == 0).Select(e => (e.WorkingSet / MiB).ToString("F0", CultureInfo.InvariantCulture)));
                    text.AppendLine(Invariant($"| {run.Contender} | {run.PeakWorkingSet / MiB:F0} MiB | {run.PeakManagedBytes / MiB:F1} MiB | {series} | {growth:F3} | {(live.Count == 1 ? $"{live[0]} every epoch" : string.Join(" ", live))} |"));
                }

                text.AppendLine();
            }
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<ContenderReport> reports, int warmup) =>
        Median(reports.SelectMany(r => r.Epochs.Skip(warmup)).Select(e => e.Seconds));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1
            ? sorted[sorted.Length / 2]
            : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
