using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

public sealed class HighscoresTests : TemporaryDirectoryTests
{
    [SetUp]
    public void ArrangeRuns()
    {
        Arrange(TestDirectory);
    }

    /// <summary>Three readable runs (one running, one failed, one nested in a sweep) and four damaged ones.</summary>
    public static void Arrange(string root)
    {
        RunDirectories.Write(root, "a", lr: 0.001, hidden: 128, bestAccuracy: 0.9, finalAccuracy: 0.85, bestLoss: 0.3);
        RunDirectories.Write(root, "b", lr: 0.01, hidden: 256, bestAccuracy: 0.8, finalAccuracy: 0.88, bestLoss: 0.2, RunStatus.Running, epoch: 2);
        RunDirectories.Write(root, "sweep/c", lr: 0.001, hidden: 256, bestAccuracy: 0.95, finalAccuracy: 0.7, bestLoss: 0.4, RunStatus.Failed, epoch: 1);
        Directory.CreateDirectory(Path.Combine(root, "sweep", "d"));
        Directory.CreateDirectory(Path.Combine(root, "broken"));
        File.WriteAllText(Path.Combine(root, "broken", "run.json"), "{\"formatVersion\": 1, \"name\": \"bro");
        Directory.CreateDirectory(Path.Combine(root, "empty"));
        File.WriteAllText(Path.Combine(root, "empty", "metrics.csv"), "epoch\n");
        Directory.CreateDirectory(Path.Combine(root, "future"));
        File.WriteAllText(Path.Combine(root, "future", "run.json"), "{\"formatVersion\": 2, \"name\": \"f\", \"status\": \"running\", \"startedAt\": \"2025-01-01T00:00:00Z\"}");
        Directory.CreateDirectory(Path.Combine(root, ".hidden"));
    }

    [Test]
    public void By_default_runs_rank_by_best_validation_accuracy_highest_first_as_csv()
    {
        // Act
        var ranking = Highscores.Scan(TestDirectory).Rank();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ranking.ToCsv(), Is.EqualTo(
                """
                rank,run,status,progress,lr,hidden,validation_loss,validation_accuracy
                1,sweep/c,failed,1/3,0.001,256,0.4,0.95
                2,a,completed,3/3,0.001,128,0.3,0.9
                3,b,interrupted,2/3,0.01,256,0.2,0.8

                """));
            Assert.That(ranking.Description, Is.EqualTo("3 runs by best validation_accuracy, highest first; 4 damaged"));
        });
    }

    [Test]
    public void Damaged_runs_are_reported_with_the_reason_and_hidden_directories_are_skipped()
    {
        // Act
        var highscores = Highscores.Scan(TestDirectory);

        // Assert
        var damaged = highscores.Damaged.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(highscores.Runs.Select(r => r.Run), Is.EqualTo(new[] { "a", "b", "broken", "empty", "future", "sweep/c", "sweep/d" }));
            Assert.That(damaged.Select(r => r.Run), Is.EqualTo(new[] { "broken", "empty", "future", "sweep/d" }));
            Assert.That(damaged[0].Problem, Does.StartWith("run.json: the manifest is not valid:"));
            Assert.That(damaged[1].Problem, Is.EqualTo("no run.json"));
            Assert.That(damaged[2].Problem, Is.EqualTo("run.json: the manifest has format version 2; this TinyDl reads up to 1."));
            Assert.That(damaged[3].Problem, Is.EqualTo("no run.json"));
        });
    }

    [Test]
    public void A_loss_ranks_lowest_first_unless_told_otherwise()
    {
        // Arrange
        var highscores = Highscores.Scan(TestDirectory);

        // Act
        var byDirection = highscores.Rank(new HighscoreQuery { Metric = "validation_loss" });
        var descending = highscores.Rank(new HighscoreQuery { Metric = "validation_loss", Descending = true });

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(byDirection.Runs.Select(r => r.Run), Is.EqualTo(new[] { "b", "a", "sweep/c" }));
            Assert.That(byDirection.Description, Is.EqualTo("3 runs by best validation_loss, lowest first; 4 damaged"));
            Assert.That(descending.Runs.Select(r => r.Run), Is.EqualTo(new[] { "sweep/c", "a", "b" }));
        });
    }

    [Test]
    public void Final_values_rank_and_show_instead_of_best_ones_as_markdown()
    {
        // Act
        var ranking = Highscores.Scan(TestDirectory).Rank(new HighscoreQuery { Final = true, Top = 2 });

        // Assert
        Assert.That(ranking.ToMarkdown(), Is.EqualTo(
            """
            | rank | run | status | progress | lr | hidden | validation_loss | validation_accuracy |
            |---:|---|---|---|---|---|---:|---:|
            | 1 | b | interrupted | 2/3 | 0.01 | 256 | 0.3 | 0.88 |
            | 2 | a | completed | 3/3 | 0.001 | 128 | 0.4 | 0.85 |

            """));
    }

    [Test]
    public void Filters_keep_runs_whose_hyperparameters_match_numbers_as_numbers()
    {
        // Arrange
        var highscores = Highscores.Scan(TestDirectory);

        // Act
        var byLr = highscores.Rank(new HighscoreQuery { Where = [HyperparameterFilter.Parse("lr=1e-3")] });
        var byBoth = highscores.Rank(new HighscoreQuery { Where = [HyperparameterFilter.Parse("hidden=256"), HyperparameterFilter.Parse("lr = 0.01")] });
        var none = highscores.Rank(new HighscoreQuery { Where = [HyperparameterFilter.Parse("hidden=64")] });

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(byLr.Runs.Select(r => r.Run), Is.EqualTo(new[] { "sweep/c", "a" }));
            Assert.That(byBoth.Runs.Select(r => r.Run), Is.EqualTo(new[] { "b" }));
            Assert.That(none.Runs, Is.Empty);
            Assert.That(none.ToCsv(), Is.EqualTo("rank,run,status,progress\n"));
        });
    }

    [Test]
    public void A_metric_or_hyperparameter_no_run_has_is_an_error_naming_those_there_are()
    {
        // Arrange
        var highscores = Highscores.Scan(TestDirectory);

        // Act
        var metric = Assert.Throws<ArgumentException>(() => highscores.Rank(new HighscoreQuery { Metric = "validation_acc" }));
        var filter = Assert.Throws<ArgumentException>(() => highscores.Rank(new HighscoreQuery { Where = [new HyperparameterFilter("learning_rate", "0.1")] }));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(metric!.Message, Does.StartWith("No run records a metric 'validation_acc'. Metrics: validation_loss, validation_accuracy."));
            Assert.That(filter!.Message, Does.StartWith("No run has a hyperparameter 'learning_rate'. Hyperparameters: lr, hidden."));
            Assert.That(() => HyperparameterFilter.Parse("lr"), Throws.TypeOf<FormatException>());
            Assert.That(() => Highscores.Scan(Path.Combine(TestDirectory, "nope")), Throws.TypeOf<DirectoryNotFoundException>());
        });
    }

    [Test]
    public void Csv_quotes_cells_with_commas_and_quotes()
    {
        // Arrange
        var root = Path.Combine(TestDirectory, "quoted");
        new RunManifest
        {
            Name = "q",
            Status = RunStatus.Completed,
            Hyperparameters = new Dictionary<string, object> { ["model"] = "mlp, \"wide\"", ["pipe"] = "a|b" },
        }.WriteTo(Path.Combine(root, "q", "run.json"));

        // Act
        var ranking = Highscores.Scan(root).Rank();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(ranking.ToCsv(), Is.EqualTo("rank,run,status,progress,model,pipe\n1,q,completed,0/0,\"mlp, \"\"wide\"\"\",a|b\n"));
            Assert.That(ranking.ToMarkdown(), Does.EndWith("| 1 | q | completed | 0/0 | mlp, \"wide\" | a\\|b |\n"));
        });
    }
}
