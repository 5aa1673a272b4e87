using System.Text.Json;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

public sealed class ManifestWriterTests : TemporaryDirectoryTests
{
    private static readonly Dictionary<Stage, string> Data = new()
    {
        [Stage.Train] = new string('a', 64),
        [Stage.Validation] = new string('b', 64),
    };


    [Test]
    public void Recorded_weights_carry_the_file_s_own_sha256_and_survive_a_reread()
    {
        // Arrange
        var (runner, model, experiment) = RunDirectories.RealRun();
        var directory = Path.Combine(TestDirectory, experiment.Name);
        using var writer = new ManifestWriter(directory, model, Data);
        using var subscription = writer.AttachTo(runner);
        runner.Run(2);
        var weights = Path.Combine(directory, "model.bin");
        ModelFile.Save(model, weights);
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(weights)));

        // Act
        writer.RecordWeights("model.bin", 2, "last");

        // Assert
        var manifest = RunManifest.Read(writer.Path);
        Assert.Multiple(() =>
        {
            Assert.That(manifest.Weights, Is.EqualTo(new WeightsSummary("model.bin", expected, 2, "last")));
            Assert.That(manifest.Status, Is.EqualTo(RunStatus.Completed), "the rest of the manifest is kept");
            Assert.That(() => writer.RecordWeights(Path.Combine(TestDirectory, "elsewhere.bin"), 2, "last"), Throws.ArgumentException.With.Message.Contains("not inside the run directory"));
            Assert.That(() => writer.RecordWeights("model.bin", 2, "final"), Throws.ArgumentException.With.Message.Contains("'best' or 'last'"));
        });
    }

    [Test]
    public void A_real_run_writes_a_running_manifest_at_start_and_the_completed_one_at_the_end()
    {
        // Arrange
        var (runner, model, experiment) = RunDirectories.RealRun();
        var directory = Path.Combine(TestDirectory, experiment.Name);
        var initialWeights = Fingerprint.OfWeights(model);
        using var writer = new ManifestWriter(directory, model, Data);
        using var subscription = writer.AttachTo(runner);
        RunManifest? atStart = null;
        var afterEpochs = new List<RunManifest>();
        runner.RunStarted.Subscribe(_ => atStart = RunManifest.Read(writer.Path));
        runner.EpochEnded.Subscribe(e => afterEpochs.Add(RunManifest.Read(writer.Path)));

        // Act
        var result = runner.Run(3);

        // Assert
        var atEnd = RunManifest.Read(Path.Combine(directory, "run.json"));
        Assert.Multiple(() =>
        {
            Assert.That(atStart!.Status, Is.EqualTo(RunStatus.Running));
            Assert.That(atStart.EndedAt, Is.Null);
            Assert.That(atStart.Epoch, Is.Zero);
            Assert.That(atStart.Epochs, Is.EqualTo(3));
            Assert.That(atStart.Metrics, Is.Empty);
            Assert.That(afterEpochs.Select(m => m.Epoch), Is.EqualTo(new[] { 1, 2, 3 }), "updated when each epoch ends");
            Assert.That(afterEpochs.Select(m => m.Status), Is.All.EqualTo(RunStatus.Running));

            Assert.That(atEnd.FormatVersion, Is.EqualTo(1));
            Assert.That(atEnd.Name, Is.EqualTo("lr=0.1_seed=7"));
            Assert.That(atEnd.ExperimentId, Is.EqualTo(experiment.Id));
            Assert.That(atEnd.Hyperparameters, Is.EqualTo(new Dictionary<string, object> { ["lr"] = 0.1, ["seed"] = 7L }));
            Assert.That(atEnd.Seed, Is.EqualTo(7), "taken from the experiment's seed");
            Assert.That(atEnd.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(atEnd.Error, Is.Null);
            Assert.That(atEnd.StartedAt, Is.EqualTo(atStart.StartedAt));
            Assert.That(atEnd.EndedAt, Is.GreaterThanOrEqualTo(atEnd.StartedAt));
            Assert.That(atEnd.Elapsed, Is.EqualTo(result.Elapsed));
            Assert.That((atEnd.Epoch, atEnd.GlobalStep), Is.EqualTo((3, 21L)));
            Assert.That(atEnd.Data, Is.EqualTo(new Dictionary<string, string> { ["train"] = Data[Stage.Train], ["validation"] = Data[Stage.Validation] }));
            Assert.That(atEnd.Model, Is.EqualTo(new ModelSummary("Linear", 15, 15, "cpu", initialWeights)));
            Assert.That(atEnd.Model!.InitialWeights, Is.Not.EqualTo(Fingerprint.OfWeights(model)), "the weights trained since");
            Assert.That(atEnd.Versions!.TorchSharp, Does.StartWith("0.107"));
            // MinVer's version from git tags (0.2.0-alpha.0.N before the first tag), then "+" and the commit.
            Assert.That(atEnd.Versions.TinyDl, Does.Match(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9a-f]{40})?$").And.Not.StartWith("0.0.0"));
            Assert.That(atEnd.Versions.DotNet, Does.StartWith(".NET 10"));
            Assert.That(atEnd.Machine, Is.EqualTo(MachineInfo.Current));
            Assert.That(atEnd.Metrics.Keys, Is.EqualTo(new[] { "train_loss", "train_accuracy", "validation_loss", "validation_accuracy" }));
            foreach (var stage in new[] { Stage.Train, Stage.Validation })
            {
                foreach (var metric in result.Final[stage])
                {
                    var summary = atEnd.Metrics[$"{stage.ToName()}_{metric.Name}"];
                    Assert.That(summary.Final, Is.EqualTo(metric.Value));
                    Assert.That(summary.Best, Is.EqualTo(result.Best[stage][metric.Name]));
                    Assert.That(summary.HigherIsBetter, Is.EqualTo(metric.HigherIsBetter));
                }
            }

            Assert.That(writer.Manifest!.ToUtf8Json(), Is.EqualTo(File.ReadAllBytes(writer.Path)));
        });
    }

    [Test]
    public void The_json_has_camel_case_fields_lower_case_statuses_and_keys_as_they_are()
    {
        // Arrange
        var (runner, model, experiment) = RunDirectories.RealRun();
        using var writer = new ManifestWriter(Path.Combine(TestDirectory, experiment.Name), model, seed: 99);
        using var subscription = writer.AttachTo(runner);

        // Act
        runner.Run(1);

        // Assert
        using var json = JsonDocument.Parse(File.ReadAllBytes(writer.Path));
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.EnumerateObject().Select(p => p.Name).Take(5), Is.EqualTo(new[] { "formatVersion", "name", "experimentId", "hyperparameters", "seed" }));
            Assert.That(root.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(root.GetProperty("seed").GetInt64(), Is.EqualTo(99), "the seed given wins over the experiment's");
            Assert.That(root.GetProperty("hyperparameters").GetProperty("lr").GetDouble(), Is.EqualTo(0.1));
            Assert.That(root.GetProperty("metrics").GetProperty("validation_accuracy").GetProperty("higherIsBetter").GetBoolean(), Is.True);
            Assert.That(root.GetProperty("model").GetProperty("initialWeights").GetString(), Has.Length.EqualTo(64));
        });
    }

    [Test]
    public void A_failed_run_leaves_status_failed_with_the_error()
    {
        // Arrange
        var (runner, model, experiment) = RunDirectories.RealRun();
        using var writer = new ManifestWriter(Path.Combine(TestDirectory, experiment.Name), model);
        using var failing = new FailingReporter();
        using var subscriptions = new System.Reactive.Disposables.CompositeDisposable(writer.AttachTo(runner), failing.AttachTo(runner));

        // Act
        Assert.Throws<ReporterException>(() => runner.Run(3));

        // Assert
        var manifest = RunManifest.Read(writer.Path);
        Assert.Multiple(() =>
        {
            Assert.That(manifest.Status, Is.EqualTo(RunStatus.Failed));
            Assert.That(manifest.Error, Does.StartWith("ReporterException: Reporter 'FailingReporter' failed").And.Contain("disk full"));
            Assert.That(manifest.Epoch, Is.EqualTo(1));
            Assert.That(manifest.EndedAt, Is.Not.Null);
            Assert.That(manifest.Metrics["validation_loss"].BestEpoch, Is.EqualTo(1));
        });
    }

    [Test]
    public void A_stopped_run_leaves_status_stopped()
    {
        // Arrange
        var (runner, model, experiment) = RunDirectories.RealRun();
        using var writer = new ManifestWriter(Path.Combine(TestDirectory, experiment.Name), model);
        using var subscription = writer.AttachTo(runner);
        runner.EpochCompleted.Subscribe(e => runner.RequestStop());

        // Act
        runner.Run(3);

        // Assert
        Assert.That(RunManifest.Read(writer.Path).Status, Is.EqualTo(RunStatus.Stopped));
    }

    [Test]
    public void Every_write_replaces_the_whole_file_and_leaves_no_temporary_file()
    {
        // Arrange: a longer run.json is already there
        var (runner, model, experiment) = RunDirectories.RealRun();
        var directory = Path.Combine(TestDirectory, experiment.Name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "run.json"), new string('x', 100_000));
        using var writer = new ManifestWriter(directory, model);
        using var subscription = writer.AttachTo(runner);

        // Act
        runner.Run(2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Directory.GetFileSystemEntries(directory).Select(Path.GetFileName), Is.EqualTo(new[] { "run.json" }));
            Assert.That(File.ReadAllBytes(writer.Path), Is.EqualTo(writer.Manifest!.ToUtf8Json()));
            Assert.That(RunManifest.Read(writer.Path).Status, Is.EqualTo(RunStatus.Completed));
        });
    }

    private sealed class FailingReporter : Reporter
    {
        protected override void OnEpochCompleted(EpochCompleted e)
        {
            if (e.Epoch == 2)
            {
                throw new IOException("disk full");
            }
        }
    }
}
