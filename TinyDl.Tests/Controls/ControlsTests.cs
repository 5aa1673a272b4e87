using TinyDl.Controls;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Controls;

public sealed class ControlsTests
{
    [Test]
    public void Early_stopping_stops_when_the_metric_has_not_improved_for_patience_epochs()
    {
        // Arrange: validation scores 5, 4, 4.5, 4.2, 4.1, 3.0 (lower is better); with patience 2 the
        // epochs after the best (epoch 2) wait 1, 2 -> stop after epoch 4, as Keras and Lightning do.
        var runner = ScriptedRun(5, 4, 4.5, 4.2, 4.1, 3.0);
        var control = new EarlyStopping("score") { Patience = 2 };
        control.AttachTo(runner);

        // Act
        var result = runner.Run(6);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(control.StoppedEpoch, Is.EqualTo(4));
            Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
            Assert.That(result.Epoch, Is.EqualTo(4));
        });
    }

    [Test]
    public void Early_stopping_counts_only_improvements_larger_than_min_delta()
    {
        // 4.95 and 4.9 improve on 5 by less than 0.1: with patience 2 the run stops after epoch 3.
        var runner = ScriptedRun(5, 4.95, 4.9, 4.85, 4.8);
        var control = new EarlyStopping("score") { Patience = 2, MinDelta = 0.1 };
        control.AttachTo(runner);

        var result = runner.Run(5);

        Assert.That(result.Epoch, Is.EqualTo(3));
    }

    [Test]
    public void Early_stopping_names_the_metrics_there_are_when_its_metric_is_missing()
    {
        var runner = ScriptedRun(1, 2);
        new EarlyStopping("accuracy").AttachTo(runner);

        Assert.That(() => runner.Run(2), Throws.TypeOf<ReporterException>().With.Message.Contains("'accuracy'").And.Message.Contains("only: score").And.InnerException.TypeOf<InvalidOperationException>());
    }

    [Test]
    public void A_step_limit_ends_the_run_at_exactly_that_step_even_mid_epoch()
    {
        var (runner, _) = Synthetic.Run(); // 7 training batches per epoch
        new StepLimit(10).AttachTo(runner);

        var result = runner.Run(5);

        Assert.Multiple(() =>
        {
            Assert.That(result.GlobalStep, Is.EqualTo(10));
            Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
            Assert.That(result.Epoch, Is.EqualTo(1), "epoch 2 was cut short");
        });
    }

    [Test]
    public void A_non_finite_loss_names_the_epoch_batch_and_step()
    {
        // Arrange: the loss turns NaN at the 10th step (epoch 2, batch 3 with 7 batches per epoch).
        var (x, y) = Synthetic.Classification(50);
        var model = nn.Linear(4, 3);
        var step = 0;
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), (o, t) =>
            ++step == 10 ? nn.functional.cross_entropy(o, t) * double.NaN : nn.functional.cross_entropy(o, t));
        using var runner = new Runner(trainer);

        // Act
        var error = Assert.Throws<NonFiniteValueException>(() => runner.Run(3));

        // Assert
        Assert.That(error!.Message, Does.StartWith("The training loss is NaN at epoch 2, batch 3 (global step 10)"));
    }

    /// <summary>A run whose validation metric 'score' takes the given values, one per epoch.</summary>
    private static Runner ScriptedRun(params double[] scores)
    {
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), nn.CrossEntropyLoss());
        var validator = new Validator(model, new TensorBatches(x, y, 8), metrics: [new ScriptedMetric(scores)]);
        return new Runner(trainer, validator);
    }

    private sealed class ScriptedMetric(double[] scores) : Metric("score", higherIsBetter: false)
    {
        private int _epoch;
        private bool _seen;

        public override void Reset() => _seen = false;

        public override void Update(BatchCompleted batch) => _seen = true;

        public override double Compute() => _seen ? scores[_epoch++] : throw new InvalidOperationException("no samples");
    }
}
