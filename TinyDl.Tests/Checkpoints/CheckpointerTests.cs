using TinyDl.Tests.Support;
namespace TinyDl.Tests.Checkpoints;

public sealed class CheckpointerTests : TemporaryDirectoryTests
{
    [Test]
    public void Last_best_and_the_top_k_epochs_are_kept_by_the_monitored_metric()
    {
        // Arrange
        var checkpoints = new Checkpointer(TestDirectory) { Monitor = "accuracy", KeepBest = 2 };
        var (runner, _) = CheckpointRuns.Create(checkpoints);
        var accuracies = new List<(int Epoch, double Value)>();
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Validation)
            {
                accuracies.Add((e.Epoch, e.Metrics["accuracy"]));
            }
        });

        // Act
        runner.Run(6);

        // Assert: the best epochs by accuracy (highest first, earlier epoch on a tie).
        var ranked = accuracies.OrderByDescending(a => a.Value).ThenBy(a => a.Epoch).ToList();
        var expectedFiles = new[] { checkpoints.BestPath, checkpoints.LastPath }
            .Concat(ranked.Take(2).Select(a => checkpoints.EpochPath(a.Epoch)))
            .Order(StringComparer.Ordinal);
        var best = Checkpoint.Read(checkpoints.BestPath);
        Assert.Multiple(() =>
        {
            Assert.That(checkpoints.Files(), Is.EqualTo(expectedFiles));
            Assert.That(best.Epoch, Is.EqualTo(ranked[0].Epoch));
            Assert.That(best.Final[Stage.Validation]["accuracy"], Is.EqualTo(ranked[0].Value));
            Assert.That(Checkpoint.Read(checkpoints.LastPath).Epoch, Is.EqualTo(6));
            Assert.That(Directory.GetFiles(TestDirectory, "*.tmp"), Is.Empty);
        });
    }

    [Test]
    public void Every_epoch_file_of_a_long_run_holds_that_epochs_weights_while_the_header_outgrows_the_write_buffer()
    {
        // Arrange: every epoch kept; the header's history grows every epoch, past the spare room of the
        // one buffer all checkpoints are written into (a tiny model: its checkpoint is a few KiB).
        const int Epochs = 40;
        var checkpoints = new Checkpointer(TestDirectory) { Monitor = "accuracy", KeepBest = Epochs };
        var (runner, model) = CheckpointRuns.Create(checkpoints);
        var weights = new Dictionary<int, float[][]>();
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Validation)
            {
                weights[e.Epoch] = CheckpointRuns.Weights(model);
            }
        });

        // Act
        runner.Run(Epochs);

        // Assert: each file is whole (its SHA-256 is checked on reading) and holds its own epoch.
        var sizes = new List<long>();
        Assert.Multiple(() =>
        {
            for (var epoch = 1; epoch <= Epochs; epoch++)
            {
                var (freshRunner, fresh) = CheckpointRuns.Create(null);
                using var disposeRunner = freshRunner;
                var checkpoint = Checkpoint.Read(checkpoints.EpochPath(epoch));
                checkpoint.LoadModel(fresh);
                Assert.That(checkpoint.Epoch, Is.EqualTo(epoch));
                Assert.That(checkpoint.History, Has.Count.EqualTo(epoch));
                Assert.That(CheckpointRuns.Weights(fresh), Is.EqualTo(weights[epoch]), $"epoch {epoch}");
                sizes.Add(new FileInfo(checkpoints.EpochPath(epoch)).Length);
            }

            Assert.That(sizes[^1] - sizes[0], Is.GreaterThan(4096), "the header should have grown past the buffer's spare room");
        });
    }

    [Test]
    public void Best_weights_are_restored_at_the_end_and_the_checkpointer_says_from_which_epoch()
    {
        var checkpoints = new Checkpointer(TestDirectory) { RestoreBestWeights = true };
        var (runner, model) = CheckpointRuns.Create(checkpoints);
        var losses = new List<double>();
        runner.EpochCompleted.Subscribe(e => losses.Add(e.Stage == Stage.Validation ? e.Metrics["loss"] : double.NaN));

        var result = runner.Run(4);

        var (fresh, freshModel) = CheckpointRuns.Create(null);
        Checkpoint.Read(checkpoints.BestPath).LoadModel(freshModel);
        var validation = losses.Where(l => !double.IsNaN(l)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(checkpoints.RestoredEpoch, Is.EqualTo(validation.IndexOf(validation.Min()) + 1));
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(CheckpointRuns.Weights(model), Is.EqualTo(CheckpointRuns.Weights(freshModel)));
        });
        fresh.Dispose();
    }

    [Test]
    public void Without_the_option_the_model_keeps_its_last_weights()
    {
        // Arrange: the loss keeps falling for the first epochs here, so epoch 1 is not the best one.
        var checkpoints = new Checkpointer(TestDirectory);
        var (runner, model) = CheckpointRuns.Create(checkpoints);
        runner.Run(3);
        var (_, lastModel) = CheckpointRuns.Create(null);
        Checkpoint.Read(checkpoints.LastPath).LoadModel(lastModel);
        var (_, firstModel) = CheckpointRuns.Create(null);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(checkpoints.RestoredEpoch, Is.Null);
            Assert.That(CheckpointRuns.Weights(model), Is.EqualTo(CheckpointRuns.Weights(lastModel)), "the model holds the last epoch's weights");
            Assert.That(CheckpointRuns.Weights(model), Is.Not.EqualTo(CheckpointRuns.Weights(firstModel)));
        });
    }

    [Test]
    public void A_monitored_metric_the_run_does_not_report_fails_with_the_available_names()
    {
        var (runner, _) = CheckpointRuns.Create(new Checkpointer(TestDirectory) { Monitor = "f1" });

        Assert.That(() => runner.Run(1), Throws.TypeOf<ReporterException>().With.Message.Contains("'f1'").And.Message.Contains("reports only: loss, accuracy").And.InnerException.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void A_run_started_afresh_keeps_the_earlier_checkpoints_aside_unchanged()
    {
        // Arrange
        var checkpoints = new Checkpointer(TestDirectory) { KeepBest = 3 };
        CheckpointRuns.Create(checkpoints).Runner.Run(3);
        var earlier = checkpoints.Files().ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
        File.WriteAllText(Path.Combine(TestDirectory, ".last.ckpt.123.tmp"), "half");

        // Act
        CheckpointRuns.Create(checkpoints).Runner.Run(1);

        // Assert
        var aside = checkpoints.KeptAsideIn!;
        Assert.Multiple(() =>
        {
            Assert.That(aside, Is.EqualTo(Path.Combine(TestDirectory, "previous-1")));
            Assert.That(
                Directory.GetFiles(aside).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))),
                Is.EqualTo(earlier),
                "every earlier checkpoint, byte for byte");
            Assert.That(checkpoints.Files(), Is.EqualTo(new[] { checkpoints.BestPath, checkpoints.EpochPath(1), checkpoints.LastPath }));
            Assert.That(Directory.GetFiles(TestDirectory, "*.tmp"), Is.Empty);
        });
    }

    [Test]
    public void A_best_checkpoint_lost_to_a_kill_is_written_again_on_resume()
    {
        // Arrange: epoch 1 is always the best so far, so last.ckpt names it; a kill before best.ckpt was written.
        var checkpoints = new Checkpointer(TestDirectory);
        CheckpointRuns.Create(checkpoints).Runner.Run(1);
        File.Delete(checkpoints.BestPath);

        // Act
        CheckpointRuns.Create(checkpoints).Runner.Run(1, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.That(Checkpoint.Read(checkpoints.BestPath).Epoch, Is.EqualTo(1));
    }

    [Test]
    public void A_damaged_checkpoint_is_recognised_instead_of_half_loaded()
    {
        var checkpoints = new Checkpointer(TestDirectory);
        CheckpointRuns.Create(checkpoints).Runner.Run(1);
        var bytes = File.ReadAllBytes(checkpoints.LastPath);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(checkpoints.LastPath, bytes);

        Assert.That(() => Checkpoint.Read(checkpoints.LastPath), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("damaged"));
    }

    [Test]
    public void A_checkpoint_records_where_the_run_was_and_what_it_was()
    {
        var checkpoints = new Checkpointer(TestDirectory) { Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "abc" } };
        var (runner, _) = CheckpointRuns.Create(checkpoints);
        var result = runner.Run(2);

        var last = Checkpoint.Read(checkpoints.LastPath);

        Assert.Multiple(() =>
        {
            Assert.That(last.Epoch, Is.EqualTo(2));
            Assert.That(last.GlobalStep, Is.EqualTo(16));
            Assert.That(last.WithinEpoch, Is.False);
            Assert.That(last.ExperimentId, Is.EqualTo(CheckpointRuns.Experiment().Id));
            Assert.That(last.ExperimentName, Is.EqualTo("lr=0.01"));
            Assert.That(last.Fingerprints, Is.EqualTo(new Dictionary<string, string> { ["train"] = "abc" }));
            Assert.That(last.Final[Stage.Validation], Is.EqualTo(result.Final[Stage.Validation]));
            Assert.That(last.Best[Stage.Train], Is.EqualTo(result.Best[Stage.Train]));
        });
    }

    [Test]
    public void A_step_snapshot_is_written_every_N_steps_within_an_epoch()
    {
        var checkpoints = new Checkpointer(TestDirectory) { EverySteps = 5 };
        var (runner, _) = CheckpointRuns.Create(checkpoints);

        runner.Run(2);

        var step = Checkpoint.Read(checkpoints.StepPath);
        Assert.Multiple(() =>
        {
            Assert.That(step.WithinEpoch, Is.True);
            Assert.That(step.GlobalStep, Is.EqualTo(15));
            Assert.That(step.Epoch, Is.EqualTo(1));
        });
    }
}
