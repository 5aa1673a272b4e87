using BenchmarkDotNet.Attributes;
using TinyDl.Runs;

namespace TinyDl.Benchmarks;

/// <summary>
/// Highscores over a directory of 1,000 finished runs (each run.json as a 10-epoch run writes it):
/// scan, rank by validation accuracy, and write the CSV, as <c>tinydl highscores DIR --format csv</c> does.
/// Run: <c>dotnet run -c Release --project benchmarks/TinyDl.Benchmarks -- --filter '*Highscores*'</c>.
/// </summary>
[MemoryDiagnoser]
public class HighscoresBenchmarks
{
    private string _root = "";

    /// <summary>The number of run directories.</summary>
    [Params(1_000)]
    public int Runs { get; set; }

    /// <summary>Writes the run directories.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _root = Directory.CreateTempSubdirectory("tinydl-highscores-bench-").FullName;
        for (var i = 0; i < Runs; i++)
        {
            var directory = Directory.CreateDirectory(Path.Combine(_root, $"run-{i:D4}")).FullName;
            File.WriteAllBytes(Path.Combine(directory, RunManifest.FileName), Manifest(i).ToUtf8Json());
        }
    }

    /// <summary>Deletes the run directories.</summary>
    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    /// <summary>Scan, rank and CSV.</summary>
    /// <returns>The CSV's length, so nothing is optimised away.</returns>
    [Benchmark]
    public int ScanRankAndWriteCsv() =>
        Highscores.Scan(_root).Rank(new HighscoreQuery { Metric = "validation_accuracy" }).ToCsv().Length;

    private static RunManifest Manifest(int i) => new()
    {
        Name = $"run-{i:D4}",
        Hyperparameters = new Dictionary<string, object> { ["lr"] = 0.001 * (1 + (i % 7)), ["hidden"] = 64 << (i % 3) },
        Seed = i,
        Status = RunStatus.Completed,
        StartedAt = DateTimeOffset.UnixEpoch.AddHours(i),
        Epoch = 10,
        Epochs = 10,
        Data = new Dictionary<string, string> { ["train"] = new('a', 64), ["validation"] = new('b', 64), ["test"] = new('c', 64) },
        Model = new ModelSummary("Sequential", 203_530, 203_530, "cpu", new string('d', 64)),
        Versions = RunVersions.Current,
        Machine = MachineInfo.Current,
        Metrics = new Dictionary<string, MetricSummary>
        {
            ["train_loss"] = new(0.5 - (i * 1e-4), 0.4, 9, false),
            ["validation_loss"] = new(0.6, 0.55, 8, false),
            ["validation_accuracy"] = new(0.8, 0.5 + ((i * 7919 % 1000) / 2000.0), 8, true),
        },
    };
}
