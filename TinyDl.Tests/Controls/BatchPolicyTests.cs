using TinyDl.Controls;
using TinyDl.Metrics;
using TinyDl.Tests.Checkpoints;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Controls;

public sealed class BatchPolicyTests : TemporaryDirectoryTests
{
    [Test]
    public void Skipping_non_finite_losses_leaves_out_the_bad_batch_and_keeps_the_weights_finite()
    {
        // Arrange: 5 batches of 8; batch 2 holds a NaN input.
        (bool Finite, EpochCompleted Epoch, long Step) Train(NonFiniteLoss policy)
        {
            var (x, y) = Synthetic.Classification(40);
            x[10, 0] = tensor(float.NaN);
            manual_seed(1);
            var model = nn.Linear(4, 3);
            using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), nn.CrossEntropyLoss(), [new Loss()]) { NonFiniteLoss = policy };
            var epoch = trainer.RunEpoch(1)!;
            var finite = model.parameters().All(p => p.isfinite().all().item<bool>());
            return (finite, epoch, trainer.GlobalStep);
        }

        // Act
        var skipped = Train(NonFiniteLoss.Skip);
        var trained = Train(NonFiniteLoss.Allow);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(skipped.Finite, Is.True);
            Assert.That(skipped.Epoch.SkippedBatches, Is.EqualTo(1));
            Assert.That(skipped.Epoch.Batches, Is.EqualTo(4));
            Assert.That(skipped.Epoch.Samples, Is.EqualTo(32));
            Assert.That(skipped.Step, Is.EqualTo(4));
            Assert.That(double.IsFinite(skipped.Epoch.Metrics["loss"]), Is.True);
            Assert.That(trained.Finite, Is.False, "allowed, the NaN reaches the weights");
        });
    }

    [Test]
    public void By_default_a_non_finite_loss_fails_the_run_naming_the_batch_before_the_weights_change()
    {
        // Arrange: sample 17 (batch 3 of 8) holds an infinity.
        var (x, y) = Synthetic.Classification(40);
        x[17, 2] = tensor(float.PositiveInfinity);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), nn.CrossEntropyLoss());
        using var runner = new Runner(trainer);
        RunCompleted? end = null;
        runner.RunCompleted.Subscribe(e => end = e, _ => { });

        // Act
        var error = Assert.Throws<NonFiniteValueException>(() => runner.Run(1));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error!.Message, Does.Contain("epoch 1, batch 3 (global step 3)"));
            Assert.That((error.Stage, error.Epoch, error.Batch, error.GlobalStep), Is.EqualTo((Stage.Train, 1, (int?)3, 3L)));
            Assert.That(end?.Status, Is.EqualTo(RunStatus.Failed));
            Assert.That(model.parameters().All(p => p.isfinite().all().item<bool>()), Is.True, "the bad batch never reached the weights");
        });
    }

    [Test]
    public void Batch_limits_cut_every_epoch_short_for_smoke_runs()
    {
        // Arrange: 7 training batches and 3 validation batches per epoch without limits.
        var (x, y) = Synthetic.Classification(50);
        var model = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), loss, [new Loss()]) { MaxBatches = 2 };
        using var validator = new Validator(model, new TensorBatches(x, y, 20), loss, [new Loss()]) { MaxBatches = 1 };
        using var runner = new Runner(trainer, validator);
        var started = new List<EpochStarted>();
        var completed = new List<EpochCompleted>();
        runner.EpochStarted.Subscribe(started.Add);
        runner.EpochCompleted.Subscribe(completed.Add);

        // Act
        var result = runner.Run(3);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.GlobalStep, Is.EqualTo(6));
            Assert.That(completed.Where(e => e.Stage == Stage.Train).Select(e => e.Batches), Is.All.EqualTo(2));
            Assert.That(completed.Where(e => e.Stage == Stage.Validation).Select(e => e.Samples), Is.All.EqualTo(20));
            Assert.That(started.Select(e => e.Batches), Is.EqualTo(new int?[] { 2, 1, 2, 1, 2, 1 }));
        });
    }

    [Test]
    public void Early_stopping_continues_its_patience_in_a_resumed_run()
    {
        // Arrange: no epoch after the first improves by 10, so with patience 2 the run stops after epoch 3;
        // a resumed run that forgot epochs 1 and 2 would stop after epoch 5.
        EarlyStopping Stopping() => new("loss") { Patience = 2, MinDelta = 10 };
        var (reference, _) = CheckpointRuns.Create(null);
        var referenceStop = Stopping();
        referenceStop.AttachTo(reference);
        var referenceResult = reference.Run(6);
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        var (first, _) = CheckpointRuns.Create(checkpoints);
        first.Run(2);
        var (resumed, _) = CheckpointRuns.Create(checkpoints);
        var resumedStop = Stopping();
        resumedStop.AttachTo(resumed);

        // Act
        var result = resumed.Run(6, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(referenceStop.StoppedEpoch, Is.EqualTo(3));
            Assert.That(resumedStop.StoppedEpoch, Is.EqualTo(3));
            Assert.That(result.Epoch, Is.EqualTo(3));
            Assert.That(referenceResult.StopReason, Is.EqualTo("early stopping: the validation loss did not improve for 2 epochs"));
        });
    }
}
