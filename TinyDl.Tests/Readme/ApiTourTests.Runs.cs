using System.Security.Cryptography;
using System.Text.Json;
using TinyDl;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Readme;

/// <content>The README's run-directory tour: a locked directory, checkpoints, resume, the manifest and the saved weights.</content>
public sealed partial class ApiTourTests
{
    [Test]
    public void The_run_directory_tour_trains_once_then_resumes_to_a_run_already_complete()
    {
        // Arrange
        var (x, y) = Support.Synthetic.Classification(256, seed: 1);
        var (validX, validY) = Support.Synthetic.Classification(128, seed: 2);
        var root = Directory.CreateTempSubdirectory("tinydl-runs-tour-").FullName;
        var experiment = new Hyperparameter { { "lr", 0.05 } }.GetExperiments().Single();

        // Act: the second call finds last.ckpt of the finished run and resumes it.
        var first = TrainedRun(experiment, x, y, validX, validY, root);
        var second = TrainedRun(experiment, x, y, validX, validY, root);
        var directory = Path.Combine(root, experiment.Name);
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "run.json")));
        var weights = manifest.RootElement.GetProperty("weights");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((first.Status, first.EpochsRun), Is.EqualTo((RunStatus.Completed, 5)));
            Assert.That((second.Status, second.EpochsRun), Is.EqualTo((RunStatus.Completed, 0)), "resumed after the last epoch: nothing left to run");
            Assert.That(File.ReadAllLines(Path.Combine(directory, "metrics.csv")), Has.Length.EqualTo(6), "header and five epochs, none twice");
            Assert.That(manifest.RootElement.GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(weights.GetProperty("file").GetString(), Is.EqualTo("model.bin"));
            Assert.That(weights.GetProperty("sha256").GetString(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, "model.bin"))))));
            Assert.That(Directory.Exists(Path.Combine(directory, "previous-1")), Is.False, "a resumed run keeps nothing aside");
        });
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public void The_readme_shows_the_run_directory_tour_exactly_as_compiled_here() =>
        AssertShownAsCompiled("Readme/ApiTourTests.Runs.cs", "runs");

    private static RunCompleted TrainedRun(Experiment experiment, Tensor x, Tensor y, Tensor validX, Tensor validY, string root)
    {
        Seed.Everything(42);
        var model = nn.Sequential(("hidden", nn.Linear(4, 16)), ("relu", nn.ReLU()), ("output", nn.Linear(16, 3)));
        var optimizer = optim.Adam(model.parameters(), experiment.Get<double>("lr"));
        using var trainer = new Trainer(model, new TensorBatches(x, y, batchSize: 32, shuffle: true, seed: 42), optimizer, nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        using var validator = new Validator(model, new TensorBatches(validX, validY, batchSize: 128), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator) { Experiment = experiment };
        var fingerprints = new Dictionary<Stage, string> { [Stage.Train] = Fingerprint.Of(x, y), [Stage.Validation] = Fingerprint.Of(validX, validY) };

        // runs:start
        // <root>/<experiment name>/, locked by this process; another experiment's directory is refused.
        using var directory = RunDirectory.Open(root, experiment);
        var checkpoints = new Checkpointer(directory.Checkpoints)
        {
            Monitor = "loss",                  // best.ckpt by validation loss (MonitorStage, KeepBest, EverySteps)
            RestoreBestWeights = true,         // the best weights are loaded at the end (before a test stage)
            Fingerprints = fingerprints,       // a checkpoint of other data is refused on resume
        };
        var from = checkpoints.ResumePoint(ResumeMode.IfAvailable);   // after last.ckpt, or null: start at epoch 1
        if (from is null)
        {
            directory.KeepAside();             // an earlier run's files move to previous-N/, never deleted
        }

        using var csv = new CsvReporter(Path.Combine(directory.Path, "metrics.csv"));
        using var manifest = new ManifestWriter(directory.Path, model, fingerprints, seed: 42);   // run.json
        using var attached = runner.Attach(checkpoints, csv, manifest);
        var result = runner.Run(epochs: 5, from);
        ModelFile.Save(model, Path.Combine(directory.Path, "model.bin"));
        manifest.RecordWeights("model.bin", checkpoints.RestoredEpoch ?? result.Epoch, checkpoints.RestoredEpoch is null ? "last" : "best");

        // runs:end
        return result;
    }
}
