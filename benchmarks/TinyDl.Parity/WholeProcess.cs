using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using static TinyDl.Parity.ParityTable;

namespace TinyDl.Parity;

/// <summary>
/// The whole-process comparison: the Fashion-MNIST example's real program (all reporters, checkpoints,
/// manifest, the test set at the end) against the independent contender's program doing the same
/// epochs, each started with plain <c>dotnet</c> and no environment variable, taking turns.
/// </summary>
internal static partial class WholeProcess
{
    private const double MiB = 1024 * 1024;

    public static string Run(ParityOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine("| epochs | example wall s, median (min-max) | independent wall s, median (min-max) | wall ratio, median of pairs (min-max) | user s example / independent | sys s example / independent | peak RSS MiB example / independent | RSS ratio, median (min-max) | pairs |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var epochs in options.ProcessEpochs)
        {
            var pairs = new List<(Usage Example, Usage Independent)>();
            for (var repeat = 0; repeat < options.Repeats; repeat++)
            {
                Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] whole process, {epochs} epochs, pair {repeat + 1}/{options.Repeats}");
                // Alternate which program goes first, so neither always runs on a warmer or cooler machine.
                if (repeat % 2 == 0)
                {
                    var example = Timed(Example(epochs, options.DataDirectory));
                    pairs.Add((example, Timed(Independent(epochs, options.DataDirectory))));
                }
                else
                {
                    var independent = Timed(Independent(epochs, options.DataDirectory));
                    pairs.Add((Timed(Example(epochs, options.DataDirectory)), independent));
                }
            }

            var wall = pairs.Select(p => p.Example.Wall / p.Independent.Wall).ToList();
            var rss = pairs.Select(p => (double)p.Example.PeakRss / p.Independent.PeakRss).ToList();
            double Med(Func<(Usage Example, Usage Independent), double> f) => Percentile(pairs.Select(f).ToList(), 0.5);
            string Range(Func<(Usage Example, Usage Independent), double> f) => Invariant($"{Med(f):F2} ({pairs.Min(f):F2}-{pairs.Max(f):F2})");
            text.AppendLine(Invariant($"| {epochs} | {Range(p => p.Example.Wall)} | {Range(p => p.Independent.Wall)} | **{Percentile(wall, 0.5):F3}** ({wall.Min():F3}-{wall.Max():F3}) | {Med(p => p.Example.User):F1} / {Med(p => p.Independent.User):F1} | {Med(p => p.Example.System):F1} / {Med(p => p.Independent.System):F1} | {Med(p => p.Example.PeakRss / MiB):F0} / {Med(p => p.Independent.PeakRss / MiB):F0} | **{Percentile(rss, 0.5):F3}** ({rss.Min():F3}-{rss.Max():F3}) | {pairs.Count} |"));
        }

        return text.ToString();
    }

    public static string WorkingSet(ParityOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"| program, plain `dotnet`, {options.Epochs} epochs | resident set after epochs 1, 2, 5, 10, 15, 20, ... (MiB) | epoch {options.Epochs} / epoch 2 |"));
        text.AppendLine("|---|---|---|");
        foreach (var (name, program, row) in new[]
        {
            ("the example (FashionMnist.dll)", Example(options.Epochs, options.DataDirectory), ExampleRow()),
            ("the independent program", Independent(options.Epochs, options.DataDirectory), IndependentRow()),
        })
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] working set of {name} over {options.Epochs} epochs");
            var resident = ResidentPerEpoch(program, row);
            var series = string.Join(" ", resident.Where(r => r.Key is 1 or 2 or 5 || r.Key % 5 == 0).Select(r => (r.Value / MiB).ToString("F0", CultureInfo.InvariantCulture)));
            var growth = resident.TryGetValue(2, out var second) && resident.TryGetValue(options.Epochs, out var last) ? (double)last / second : double.NaN;
            text.AppendLine(Invariant($"| {name} | {series} | {growth:F3} |"));
        }

        return text.ToString();
    }

    private sealed record Usage(double Wall, double User, double System, long PeakRss);

    private sealed record Program(string Dll, string[] Arguments, string Output) : IDisposable
    {
        public void Dispose()
        {
            if (Directory.Exists(Output))
            {
                Directory.Delete(Output, recursive: true);
            }
        }
    }

    private static Program Example(int epochs, string data)
    {
        var output = Directory.CreateTempSubdirectory("parity-example-").FullName;
        return new(Built("examples/FashionMnist", "FashionMnist.dll"), ["--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--out", output, "--data", data], output);
    }

    private static Program Independent(int epochs, string data)
    {
        var output = Directory.CreateTempSubdirectory("parity-independent-").FullName;
        return new(Built("benchmarks/TinyDl.Parity.Independent", "TinyDl.Parity.Independent.dll"), ["--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--out", output, "--data", data], output);
    }

    /// <summary>Runs a program under /usr/bin/time, which reports the child's own CPU times and peak RSS (from wait4).</summary>
    private static Usage Timed(Program program)
    {
        using (program)
        {
            var report = Path.GetTempFileName();
            var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])["-o", report, "-f", "%e %U %S %M", "dotnet", program.Dll, .. program.Arguments])
            {
                start.ArgumentList.Add(argument);
            }

            var watch = Stopwatch.StartNew();
            using var process = System.Diagnostics.Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            watch.Stop();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{program.Dll} failed with exit code {process.ExitCode}: {error.Result}");
            }

            var fields = File.ReadAllText(report).Trim().Split('\n')[^1].Split(' ');
            File.Delete(report);
            double Field(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
            return new Usage(watch.Elapsed.TotalSeconds, Field(1), Field(2), (long)Field(3) * 1024);
        }
    }

    /// <summary>The resident set of a program's process read from /proc each time it prints an epoch's line.</summary>
    private static SortedDictionary<int, long> ResidentPerEpoch(Program program, Regex row)
    {
        using (program)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in (string[])[program.Dll, .. program.Arguments])
            {
                start.ArgumentList.Add(argument);
            }

            using var process = System.Diagnostics.Process.Start(start)!;
            var resident = new SortedDictionary<int, long>();
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (row.Match(line) is { Success: true } match)
                {
                    var status = File.ReadAllLines($"/proc/{process.Id}/status");
                    var kib = status.First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
                    resident[int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = long.Parse(kib, CultureInfo.InvariantCulture) * 1024;
                }
            }

            process.WaitForExit();
            return resident;
        }
    }

    private static string Built(string project, string dll)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TinyDl.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? ".", project, "bin", "Release", "net10.0", dll);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing; build it first: dotnet build -c Release {project}", path);
    }

    [GeneratedRegex(@"^\s*(\d+)\s")]
    private static partial Regex ExampleRow();

    [GeneratedRegex(@"^epoch (\d+):")]
    private static partial Regex IndependentRow();
}
