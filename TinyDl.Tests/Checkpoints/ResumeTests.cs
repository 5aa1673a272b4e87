using TinyDl.Tests.Support;
namespace TinyDl.Tests.Checkpoints;

public sealed class ResumeTests : TemporaryDirectoryTests
{
    [Test]
    public void A_resumed_run_ends_with_the_same_weights_and_metrics_as_an_uninterrupted_run()
    {
        // Arrange: the reference runs 5 epochs at once; the other stops after 2, then a new process-like
        // setup (new model, optimizer and data, same seed) resumes to 5.
        var (reference, referenceModel) = CheckpointRuns.Create(null);
        var expected = reference.Run(5);
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        var (first, _) = CheckpointRuns.Create(checkpoints);
        first.Run(2);
        var (resumed, resumedModel) = CheckpointRuns.Create(checkpoints);
        RunStarted? started = null;
        var epochs = new List<int>();
        resumed.RunStarted.Subscribe(e => started = e);
        resumed.EpochCompleted.Subscribe(e => epochs.Add(e.Epoch));

        // Act
        var actual = resumed.Run(5, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(CheckpointRuns.Weights(resumedModel), Is.EqualTo(CheckpointRuns.Weights(referenceModel)));
            Assert.That(actual.Final[Stage.Validation], Is.EqualTo(expected.Final[Stage.Validation]));
            Assert.That(actual.Final[Stage.Train], Is.EqualTo(expected.Final[Stage.Train]));
            Assert.That(actual.Best[Stage.Validation], Is.EqualTo(expected.Best[Stage.Validation]));
            Assert.That(actual.GlobalStep, Is.EqualTo(expected.GlobalStep));
            Assert.That(actual.Epoch, Is.EqualTo(5));
            Assert.That(started?.Epoch, Is.EqualTo(3));
            Assert.That(started?.GlobalStep, Is.EqualTo(16));
            Assert.That(started?.Best.ContainsKey(Stage.Validation), Is.True);
            Assert.That(epochs.Distinct(), Is.EqualTo(new[] { 3, 4, 5 }));
        });
    }

    [Test]
    public void Resuming_if_available_without_a_checkpoint_starts_at_the_first_epoch()
    {
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        var (runner, _) = CheckpointRuns.Create(checkpoints);
        RunStarted? started = null;
        runner.RunStarted.Subscribe(e => started = e);
        var from = checkpoints.ResumePoint(ResumeMode.IfAvailable);

        var result = runner.Run(2, from);

        Assert.Multiple(() =>
        {
            Assert.That(from, Is.Null);
            Assert.That(started?.Epoch, Is.EqualTo(1));
            Assert.That(started?.ResumedFrom, Is.Null);
            Assert.That(result.Epoch, Is.EqualTo(2));
        });
    }

    [Test]
    public void A_strict_resume_without_a_checkpoint_fails_naming_the_directory()
    {
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);

        Assert.That(() => checkpoints.ResumePoint(ResumeMode.Required), Throws.TypeOf<CheckpointException>()
            .With.Message.StartsWith("Nothing to resume: there is no checkpoint in").And.Message.Contains(checkpoints.Directory));
    }

    [Test]
    public void A_damaged_last_checkpoint_is_refused_and_the_intact_ones_are_offered_never_taken_silently()
    {
        // Arrange: three epochs, best.ckpt of some epoch and epoch files; last.ckpt then damaged.
        var checkpoints = new Checkpointer(Path.Combine(TestDirectory, "checkpoints")) { KeepBest = 1 };
        CheckpointRuns.Create(checkpoints).Runner.Run(3);
        var bytes = File.ReadAllBytes(checkpoints.LastPath);
        bytes[bytes.Length / 3] ^= 0x55;
        File.WriteAllBytes(checkpoints.LastPath, bytes);
        var bestEpoch = Checkpoint.Read(checkpoints.BestPath).Epoch;

        // Act
        var error = Assert.Throws<CheckpointException>(() => checkpoints.ResumePoint(ResumeMode.IfAvailable));
        var fromBest = checkpoints.ResumeFrom(checkpoints.BestPath);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("last.ckpt' is damaged").And.Contain($"best.ckpt (epoch {bestEpoch})"));
            Assert.That(error.Alternatives, Does.Contain(checkpoints.BestPath));
            Assert.That(fromBest.Description, Is.EqualTo($"checkpoints{Path.DirectorySeparatorChar}best.ckpt (epoch {bestEpoch})"));
        });
    }

    [Test]
    public void A_missing_last_checkpoint_next_to_a_best_one_is_refused_and_the_best_offered()
    {
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        CheckpointRuns.Create(checkpoints).Runner.Run(2);
        File.Delete(checkpoints.LastPath);

        var error = Assert.Throws<CheckpointException>(() => checkpoints.ResumePoint(ResumeMode.IfAvailable));

        Assert.That(error!.Message, Does.StartWith("There is no last.ckpt in").And.Contain("best.ckpt (epoch"));
    }

    [Test]
    public void Resuming_from_the_best_checkpoint_continues_from_its_epoch_and_keeps_the_later_files_aside()
    {
        // Arrange: 4 epochs; then the run continues from epoch 2's checkpoint (as after a damaged last.ckpt).
        var checkpoints = new Checkpointer(Path.Combine(TestDirectory, "checkpoints")) { KeepBest = 4 };
        CheckpointRuns.Create(checkpoints).Runner.Run(4);
        var second = File.ReadAllBytes(checkpoints.EpochPath(2));
        var (resumed, _) = CheckpointRuns.Create(checkpoints);
        var epochs = new List<int>();
        resumed.EpochEnded.Subscribe(e => epochs.Add(e.Epoch));

        // Act
        var result = resumed.Run(4, checkpoints.ResumeFrom(checkpoints.EpochPath(2)));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(epochs, Is.EqualTo(new[] { 3, 4 }));
            Assert.That(result.Epoch, Is.EqualTo(4));
            Assert.That(checkpoints.KeptAsideIn, Is.Not.Null);
            Assert.That(File.ReadAllBytes(Path.Combine(checkpoints.KeptAsideIn!, "epoch-0002.ckpt")), Is.EqualTo(second), "the earlier branch's files are kept");
        });
    }

    [Test]
    public void Resuming_a_finished_run_runs_no_epoch_and_reports_the_saved_values()
    {
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        var (first, _) = CheckpointRuns.Create(checkpoints);
        var expected = first.Run(2);
        var (again, _) = CheckpointRuns.Create(checkpoints);
        var batches = 0;
        again.BatchCompleted.Subscribe(_ => batches++);

        var result = again.Run(2, CheckpointRuns.Resume(checkpoints));

        Assert.Multiple(() =>
        {
            Assert.That(batches, Is.Zero);
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(result.Epoch, Is.EqualTo(2));
            Assert.That(result.Final[Stage.Validation], Is.EqualTo(expected.Final[Stage.Validation]));
        });
    }

    [Test]
    public void A_resume_with_other_hyperparameters_is_refused_with_a_message_naming_them()
    {
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        CheckpointRuns.Create(checkpoints).Runner.Run(1);
        var (other, _) = CheckpointRuns.Create(checkpoints, CheckpointRuns.Experiment(lr: 0.5));

        var error = Assert.Throws<CheckpointException>(() => other.Run(2, CheckpointRuns.Resume(checkpoints)));

        Assert.That(error.Message, Does.Contain("hyperparameters differ").And.Contain("lr=0.01").And.Contain("lr=0.5").And.Contain("AllowMismatch"));
    }

    [Test]
    public void A_resume_with_other_data_is_refused_with_a_message_naming_the_data_set()
    {
        var saved = new Checkpointer(TestDirectory) { Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "aaa", [Stage.Validation] = "bbb" } };
        CheckpointRuns.Create(saved).Runner.Run(1);
        var changed = new Checkpointer(TestDirectory) { Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "aaa", [Stage.Validation] = "ccc" } };
        var (other, _) = CheckpointRuns.Create(changed);

        var error = Assert.Throws<CheckpointException>(() => other.Run(2, CheckpointRuns.Resume(changed)));

        Assert.That(error.Message, Does.Contain("'validation' data fingerprint differs (checkpoint bbb, this run ccc)").And.Not.Contain("'train'"));
    }

    [Test]
    public void AllowMismatch_resumes_despite_other_hyperparameters()
    {
        CheckpointRuns.Create(new Checkpointer(TestDirectory)).Runner.Run(1);
        var allowing = new Checkpointer(TestDirectory) { AllowMismatch = true };
        var (other, _) = CheckpointRuns.Create(allowing, CheckpointRuns.Experiment(lr: 0.5));

        var result = other.Run(2, CheckpointRuns.Resume(allowing));

        Assert.That(result.Epoch, Is.EqualTo(2));
    }
}
