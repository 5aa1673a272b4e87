using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

public sealed class HighscoresScaleTests : TemporaryDirectoryTests
{
    [Test]
    public void A_thousand_run_directories_rank_with_the_damaged_ones_reported()
    {
        // Arrange: 1,000 runs; every 50th corrupt, empty or without run.json; some running or failed
        for (var i = 0; i < 1_000; i++)
        {
            var directory = Path.Combine(TestDirectory, $"run-{i:D4}");
            Directory.CreateDirectory(directory);
            var path = Path.Combine(directory, "run.json");
            var manifest = Manifest(i);
            switch (i % 50)
            {
                case 0:
                    File.WriteAllBytes(path, manifest.ToUtf8Json()[..200]);
                    break;
                case 1:
                    File.WriteAllText(Path.Combine(directory, "metrics.csv"), "epoch\n");
                    break;
                case 2:
                    File.WriteAllBytes(path, []);
                    break;
                default:
                    File.WriteAllBytes(path, manifest.ToUtf8Json());
                    break;
            }
        }

        // Act (the time it takes is measured by benchmarks/TinyDl.Benchmarks, HighscoresBenchmarks, not here)
        var ranking = Highscores.Scan(TestDirectory).Rank(new HighscoreQuery { Metric = "validation_accuracy" });
        var csv = ranking.ToCsv();
        var markdown = ranking.ToMarkdown();

        // Assert
        var accuracies = ranking.Runs.Select(r => r.Manifest!.Metrics["validation_accuracy"].Best).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ranking.Runs, Has.Count.EqualTo(940));
            Assert.That(ranking.Damaged, Has.Count.EqualTo(60));
            Assert.That(ranking.Damaged.Count(r => r.Problem == "no run.json"), Is.EqualTo(20));
            Assert.That(ranking.Damaged.Count(r => r.Problem!.Contains("empty", StringComparison.Ordinal)), Is.EqualTo(20));
            Assert.That(accuracies, Is.Ordered.Descending);
            Assert.That(ranking.Runs.Count(r => r.Manifest!.Status == RunStatus.Running), Is.EqualTo(100));
            Assert.That(ranking.Runs.Count(r => r.Manifest!.Status == RunStatus.Failed), Is.EqualTo(100));
            Assert.That(csv.Split('\n'), Has.Length.EqualTo(942));
            Assert.That(markdown.Split('\n'), Has.Length.EqualTo(943));
        });
    }

    private static RunManifest Manifest(int i) => new()
    {
        Name = $"run-{i:D4}",
        Hyperparameters = new Dictionary<string, object> { ["lr"] = 0.001 * (1 + (i % 7)), ["hidden"] = 64 << (i % 3), ["optimizer"] = i % 2 == 0 ? "adam" : "sgd" },
        Seed = i,
        Status = (i % 10) switch { 3 => RunStatus.Running, 4 => RunStatus.Failed, _ => RunStatus.Completed },
        StartedAt = DateTimeOffset.UnixEpoch.AddHours(i),
        Epoch = 10,
        Epochs = 10,
        Data = new Dictionary<string, string> { ["train"] = new('a', 64), ["validation"] = new('b', 64) },
        Model = new ModelSummary("Sequential", 203_530, 203_530, "cpu", new string('c', 64)),
        Versions = RunVersions.Current,
        Machine = MachineInfo.Current,
        Metrics = new Dictionary<string, MetricSummary>
        {
            ["train_loss"] = new(0.5 - (i * 1e-4), 0.4, 9, false),
            ["train_accuracy"] = new(0.8, 0.81, 9, true),
            ["validation_loss"] = new(0.6, 0.55, 8, false),
            ["validation_accuracy"] = new(0.8, 0.5 + ((i * 7919 % 1000) / 2000.0), 8, true),
        },
    };
}
