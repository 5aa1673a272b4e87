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
        var actual = resumed.Run(5, resume: true);

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
    public void Resuming_without_a_checkpoint_starts_at_the_first_epoch()
    {
        var (runner, _) = CheckpointRuns.Create(Checkpointer.InRunDirectory(TestDirectory));
        RunStarted? started = null;
        runner.RunStarted.Subscribe(e => started = e);

        var result = runner.Run(2, resume: true);

        Assert.Multiple(() =>
        {
            Assert.That(started?.Epoch, Is.EqualTo(1));
            Assert.That(result.Epoch, Is.EqualTo(2));
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

        var result = again.Run(2, resume: true);

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

        var error = Assert.Throws<InvalidOperationException>(() => other.Run(2, resume: true));

        Assert.That(error.Message, Does.Contain("hyperparameters differ").And.Contain("lr=0.01").And.Contain("lr=0.5").And.Contain("AllowMismatch"));
    }

    [Test]
    public void A_resume_with_other_data_is_refused_with_a_message_naming_the_data_set()
    {
        var saved = new Checkpointer(TestDirectory) { Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "aaa", [Stage.Validation] = "bbb" } };
        CheckpointRuns.Create(saved).Runner.Run(1);
        var changed = new Checkpointer(TestDirectory) { Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "aaa", [Stage.Validation] = "ccc" } };
        var (other, _) = CheckpointRuns.Create(changed);

        var error = Assert.Throws<InvalidOperationException>(() => other.Run(2, resume: true));

        Assert.That(error.Message, Does.Contain("'validation' data fingerprint differs (checkpoint bbb, this run ccc)").And.Not.Contain("'train'"));
    }

    [Test]
    public void AllowMismatch_resumes_despite_other_hyperparameters()
    {
        CheckpointRuns.Create(new Checkpointer(TestDirectory)).Runner.Run(1);
        var (other, _) = CheckpointRuns.Create(new Checkpointer(TestDirectory) { AllowMismatch = true }, CheckpointRuns.Experiment(lr: 0.5));

        var result = other.Run(2, resume: true);

        Assert.That(result.Epoch, Is.EqualTo(2));
    }

    [Test]
    public void Resuming_needs_a_checkpointer()
    {
        var (runner, _) = CheckpointRuns.Create(null);

        Assert.That(() => runner.Run(1, resume: true), Throws.InvalidOperationException.With.Message.Contains("Runner.Checkpoints"));
    }
}
