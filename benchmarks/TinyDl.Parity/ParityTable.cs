using System.Globalization;
using System.Text;

namespace TinyDl.Parity;

/// <summary>Renders the benchmark's result as a Markdown table with the ratios the targets are stated in.</summary>
internal static class ParityTable
{
    private const double MiB = 1024 * 1024;

    public static string Render(IReadOnlyList<ContenderReport> reports, int warmup)
    {
        var text = new StringBuilder();
        text.AppendLine("| workload | contender | median s/epoch | ratio | final train loss | final val loss | final val acc | peak working set | managed heap | working set last/2nd epoch | live tensors per epoch |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var workload in reports.GroupBy(r => r.Workload))
        {
            var hand = Median(workload.Where(r => r.Contender == "hand"), warmup);
            foreach (var contender in workload.GroupBy(r => r.Contender).OrderBy(g => g.Key == "hand" ? 0 : 1))
            {
                var median = Median(contender, warmup);
                var first = contender.First();
                var last = first.Epochs[^1];
                var growth = first.Epochs.Count >= 2 ? (double)last.WorkingSet / first.Epochs[1].WorkingSet : double.NaN;
                text.AppendLine(Invariant($"| {workload.Key} | {contender.Key} | {median:F3} | {median / hand:F3} | {last.TrainLoss:F7} | {last.ValidationLoss:F7} | {last.ValidationAccuracy:F4} | {contender.Max(r => r.PeakWorkingSet) / MiB:F0} MiB | {contender.Max(r => r.PeakManagedBytes) / MiB:F1} MiB | {growth:F3} | {string.Join(" ", first.Epochs.Select(e => e.LiveTensors))} |"));
            }

            var handLast = workload.First(r => r.Contender == "hand").Epochs[^1];
            var tinyLast = workload.First(r => r.Contender == "tinydl").Epochs[^1];
            var difference = Math.Max(Math.Abs(handLast.TrainLoss - tinyLast.TrainLoss), Math.Abs(handLast.ValidationLoss - tinyLast.ValidationLoss));
            text.AppendLine(Invariant($"\n{workload.Key}: largest difference of final losses = {difference:E2} ({(difference <= 1e-5 ? "agree to 1e-5" : "DIFFER")})\n"));
        }

        return text.ToString();
    }

    private static double Median(IEnumerable<ContenderReport> reports, int warmup)
    {
        var seconds = reports.SelectMany(r => r.Epochs.Skip(warmup)).Select(e => e.Seconds).Order().ToArray();
        return seconds.Length == 0 ? double.NaN : seconds.Length % 2 == 1
            ? seconds[seconds.Length / 2]
            : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
