using TinyDl.Tests.Support;

namespace TinyDl.Tests.Core;

public sealed class RunnerTests
{
    [Test]
    public void A_run_raises_its_events_in_order_with_the_expected_counts()
    {
        // Arrange: 50 samples in batches of 8 = 7 training batches; 20 in batches of 7 = 3 validation batches.
        var (runner, _) = Synthetic.Run();
        var log = new List<string>();
        var completed = new List<string>();
        runner.RunStarted.Subscribe(e => log.Add($"run-started {e.Epoch}/{e.Epochs} [{string.Join(",", e.Stages)}]"), () => completed.Add("run-started"));
        runner.EpochStarted.Subscribe(e => log.Add($"epoch-started {e.Stage.ToName()} {e.Epoch} batches={e.Batches}"), () => completed.Add("epoch-started"));
        runner.BatchCompleted.Subscribe(e => log.Add($"batch {e.Stage.ToName()} {e.Epoch}.{e.Batch} step={e.GlobalStep} size={e.Size}"), () => completed.Add("batch"));
        runner.EpochCompleted.Subscribe(e => log.Add($"epoch-completed {e.Stage.ToName()} {e.Epoch} step={e.GlobalStep} batches={e.Batches} samples={e.Samples}"), () => completed.Add("epoch-completed"));
        runner.RunCompleted.Subscribe(e => log.Add($"run-completed {e.Status} epoch={e.Epoch} step={e.GlobalStep}"), () => completed.Add("run-completed"));

        // Act
        var result = runner.Run(2);

        // Assert
        var expected = new List<string> { "run-started 1/2 [Train,Validation]" };
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            expected.Add($"epoch-started train {epoch} batches=7");
            for (var b = 1; b <= 7; b++)
            {
                expected.Add($"batch train {epoch}.{b} step={((epoch - 1) * 7) + b} size={(b == 7 ? 2 : 8)}");
            }

            expected.Add($"epoch-completed train {epoch} step={epoch * 7} batches=7 samples=50");
            expected.Add($"epoch-started validation {epoch} batches=3");
            for (var b = 1; b <= 3; b++)
            {
                expected.Add($"batch validation {epoch}.{b} step={epoch * 7} size={(b == 3 ? 6 : 7)}");
            }

            expected.Add($"epoch-completed validation {epoch} step={epoch * 7} batches=3 samples=20");
        }

        expected.Add("run-completed Completed epoch=2 step=14");
        Assert.Multiple(() =>
        {
            Assert.That(log, Is.EqualTo(expected));
            Assert.That(completed, Is.EquivalentTo(new[] { "run-started", "epoch-started", "batch", "epoch-completed", "run-completed" }));
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(result.Final[Stage.Validation].Names, Is.EqualTo(new[] { "loss", "accuracy" }));
        });
    }

    [Test]
    public void Best_values_follow_each_metric_direction()
    {
        var (runner, _) = Synthetic.Run();
        var epochs = new List<EpochCompleted>();
        runner.EpochCompleted.Subscribe(epochs.Add);

        var result = runner.Run(4);

        var validation = epochs.Where(e => e.Stage == Stage.Validation).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(result.Best[Stage.Validation]["loss"], Is.EqualTo(validation.Min(e => e.Metrics["loss"])));
            Assert.That(result.Best[Stage.Validation]["accuracy"], Is.EqualTo(validation.Max(e => e.Metrics["accuracy"])));
            Assert.That(result.Final[Stage.Validation]["loss"], Is.EqualTo(validation[^1].Metrics["loss"]));
        });
    }

    [Test]
    public void A_failing_run_reports_failure_then_ends_every_stream_with_the_error_and_rethrows()
    {
        // Arrange: the second validation batch throws inside an observer.
        var (runner, _) = Synthetic.Run();
        var boom = new InvalidOperationException("boom");
        runner.BatchCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Validation && e.Batch == 2)
            {
                throw boom;
            }
        });
        RunCompleted? end = null;
        Exception? streamError = null;
        runner.RunCompleted.Subscribe(e => end = e, error => streamError = error);

        // Act
        var thrown = Assert.Throws<InvalidOperationException>(() => runner.Run(3));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(thrown, Is.SameAs(boom));
            Assert.That(end?.Status, Is.EqualTo(RunStatus.Failed));
            Assert.That(end?.Error, Is.SameAs(boom));
            Assert.That(end?.Epoch, Is.EqualTo(0));
            Assert.That(streamError, Is.SameAs(boom));
        });
    }

    [Test]
    public void An_observer_can_stop_the_run_after_an_epoch()
    {
        var (runner, _) = Synthetic.Run();
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Validation && e.Epoch == 2)
            {
                runner.RequestStop();
            }
        });
        var trainEpochs = 0;
        runner.EpochCompleted.Subscribe(e => trainEpochs += e.Stage == Stage.Train ? 1 : 0);

        var result = runner.Run(10);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
            Assert.That(result.Epoch, Is.EqualTo(2));
            Assert.That(trainEpochs, Is.EqualTo(2));
        });
    }

    [Test]
    public void Cancellation_stops_after_the_current_batch_without_completing_the_epoch()
    {
        var (runner, _) = Synthetic.Run();
        using var cancellation = new CancellationTokenSource();
        runner.BatchCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train && e.Epoch == 2 && e.Batch == 3)
            {
                cancellation.Cancel();
            }
        });
        var completedEpochs = new List<(Stage, int)>();
        runner.EpochCompleted.Subscribe(e => completedEpochs.Add((e.Stage, e.Epoch)));

        var result = runner.Run(5, cancellationToken: cancellation.Token);

        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
            Assert.That(result.Epoch, Is.EqualTo(1));
            Assert.That(result.GlobalStep, Is.EqualTo(10));
            Assert.That(completedEpochs, Is.EqualTo(new[] { (Stage.Train, 1), (Stage.Validation, 1) }));
        });
    }

    [Test]
    public void A_runner_runs_once_and_rejects_a_non_positive_epoch_count()
    {
        var (runner, _) = Synthetic.Run();

        Assert.That(() => runner.Run(0), Throws.InstanceOf<ArgumentOutOfRangeException>());
        runner.Run(1);
        Assert.That(() => runner.Run(1), Throws.InvalidOperationException.With.Message.Contains("already run"));
    }

    [Test]
    public void Subscribing_after_the_run_gets_completion_at_once()
    {
        var (runner, _) = Synthetic.Run();
        runner.Run(1);
        var completed = false;

        runner.EpochCompleted.Subscribe(_ => { }, () => completed = true);

        Assert.That(completed, Is.True);
    }

    [Test]
    public void Empty_training_data_fails_with_a_clear_message()
    {
        var model = TorchSharp.torch.nn.Linear(4, 3);
        using var trainer = new Trainer(model, Array.Empty<(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)>(), TorchSharp.torch.optim.SGD(model.parameters(), 0.1), TorchSharp.torch.nn.CrossEntropyLoss());

        Assert.That(() => trainer.RunEpoch(1), Throws.InvalidOperationException.With.Message.EqualTo("The train data yielded no batches in epoch 1; check the data source and the batch size."));
    }

    [Test]
    public void Two_metrics_with_one_name_are_rejected()
    {
        Assert.That(
            () => Synthetic.Run(metrics: () => [new TinyDl.Metrics.Accuracy(), new TinyDl.Metrics.Accuracy()]),
            Throws.ArgumentException.With.Message.Contains("Two train metrics are named 'accuracy'"));
    }
}
