using TinyDl;
using TinyDl.Tests.Checkpoints;
using TinyDl.Tests.Readme;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Participants;

// participant:start
// Counts training batches, keeps the count in the run's checkpoints, and stops the run when the budget is spent.
public sealed class BatchBudget(long budget) : RunParticipant, IStateful
{
    public long Batches { get; private set; }

    public string StateName => "batch-budget";

    protected override int BatchInterval => 1;

    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train && ++Batches == budget)
        {
            RequestStop($"batch budget of {budget} spent");
        }
    }

    public byte[] SaveState() => BitConverter.GetBytes(Batches);

    public void LoadState(ReadOnlySpan<byte> state) => Batches = BitConverter.ToInt64(state);
}

// participant:end

/// <summary>The README's custom participant: its state goes through checkpoints, and it stops a run like a built-in control.</summary>
public sealed class CustomParticipantTests : TemporaryDirectoryTests
{
    [Test]
    public void A_resumed_run_gets_the_participant_s_state_back_and_stops_where_an_uninterrupted_one_does()
    {
        // Arrange: 8 batches per epoch; a budget of 30 ends the run in epoch 4.
        var (reference, referenceModel) = CheckpointRuns.Create(null);
        var referenceBudget = new BatchBudget(30);
        referenceBudget.AttachTo(reference);
        var expected = reference.Run(6);
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        var (first, _) = CheckpointRuns.Create(checkpoints);
        new BatchBudget(30).AttachTo(first);
        first.Run(2);
        var (resumed, resumedModel) = CheckpointRuns.Create(checkpoints);
        var budget = new BatchBudget(30);
        budget.AttachTo(resumed);

        // Act
        var actual = resumed.Run(6, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Checkpoint.Read(checkpoints.LastPath).StateNames, Does.Contain("batch-budget"));
            Assert.That(budget.Batches, Is.EqualTo(30), "16 restored from the checkpoint, 14 counted after the resume");
            Assert.That((actual.Status, actual.StopReason), Is.EqualTo((RunStatus.Stopped, "batch budget of 30 spent")));
            Assert.That((actual.Epoch, actual.GlobalStep), Is.EqualTo((expected.Epoch, expected.GlobalStep)));
            Assert.That(CheckpointRuns.Weights(resumedModel), Is.EqualTo(CheckpointRuns.Weights(referenceModel)));
        });
    }

    [Test]
    public void Two_states_of_one_name_are_refused_naming_it()
    {
        var (runner, _) = Synthetic.Run();
        new BatchBudget(5).AttachTo(runner);

        Assert.That(() => new BatchBudget(6).AttachTo(runner), Throws.ArgumentException.With.Message.Contains("already has a state named 'batch-budget'"));
    }

    [Test]
    public void The_readme_shows_the_custom_participant_exactly_as_compiled_here() =>
        ApiTourTests.AssertShownAsCompiled("Participants/CustomParticipantTests.cs", "participant");
}
