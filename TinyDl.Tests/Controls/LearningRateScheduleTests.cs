using TinyDl.Controls;
using TinyDl.Tests.Checkpoints;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Controls;

public sealed class LearningRateScheduleTests : TemporaryDirectoryTests
{
    [Test]
    public void A_per_epoch_schedule_steps_after_every_training_epoch()
    {
        // Arrange: StepLR halving every 2 epochs from 0.1.
        var (runner, optimizer) = Run();
        new LearningRateSchedule(optimizer, o => optim.lr_scheduler.StepLR(o, step_size: 2, gamma: 0.5)).AttachTo(runner);
        var rates = RatesPerEpoch(runner, optimizer);

        // Act
        runner.Run(5);

        // Assert
        Assert.That(rates, Is.EqualTo(new[] { 0.1, 0.1, 0.05, 0.05, 0.025 }).Within(1e-12));
    }

    [Test]
    public void A_per_batch_schedule_steps_after_every_training_batch()
    {
        // Arrange: 7 training batches per epoch, ExponentialLR 0.9 per batch.
        var (runner, optimizer) = Run();
        var schedule = new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ExponentialLR(o, gamma: 0.9), ScheduleInterval.Batch);
        schedule.AttachTo(runner);

        // Act
        runner.Run(2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(schedule.Steps, Is.EqualTo(14));
            Assert.That(schedule.LearningRate, Is.EqualTo(0.1 * Math.Pow(0.9, 14)).Within(1e-12));
        });
    }

    [Test]
    public void Reduce_on_plateau_lowers_the_rate_when_the_monitored_value_stops_improving()
    {
        // Arrange: validation loss 1.0, 0.9, 0.95, 0.95, 0.95 with patience 1: the fourth epoch is the
        // second without improvement, so the rate drops by the factor after it.
        var run = new FakeRun();
        var model = nn.Linear(2, 2);
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var schedule = new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.1, patience: 1)) { Monitor = "loss" };
        schedule.AttachTo(run);
        var rates = new List<double>();

        // Act
        run.Start();
        var epoch = 0;
        foreach (var loss in new[] { 1.0, 0.9, 0.95, 0.95, 0.95 })
        {
            epoch++;
            run.Epoch(Stage.Train, epoch, epoch * 10, FakeRun.Values(("loss", 0.5, false)));
            run.Epoch(Stage.Validation, epoch, epoch * 10, FakeRun.Values(("loss", loss, false)));
            rates.Add(schedule.LearningRate);
        }

        // Assert
        Assert.That(rates, Is.EqualTo(new[] { 0.1, 0.1, 0.1, 0.01, 0.01 }).Within(1e-12));
    }

    [TestCase("step-epoch")]
    [TestCase("exponential-batch")]
    [TestCase("plateau")]
    public void A_resumed_run_continues_the_schedule_exactly(string kind)
    {
        // Arrange: 5 epochs at once against 2, then a resume to 5 with new objects.
        var reference = RunWithSchedule(null, kind);
        reference.Runner.Run(5);
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        RunWithSchedule(checkpoints, kind).Runner.Run(2);
        var resumed = RunWithSchedule(checkpoints, kind);

        // Act
        resumed.Runner.Run(5, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(resumed.Schedule.LearningRate, Is.EqualTo(reference.Schedule.LearningRate));
            Assert.That(resumed.Schedule.Steps, Is.EqualTo(reference.Schedule.Steps));
            Assert.That(resumed.Rates, Is.EqualTo(reference.Rates.Skip(2)), "the rate of every resumed epoch");
            Assert.That(CheckpointRuns.Weights(resumed.Model), Is.EqualTo(CheckpointRuns.Weights(reference.Model)));
        });
    }

    [Test]
    public void A_monitored_metric_the_stage_does_not_report_is_named_with_those_it_does()
    {
        var (runner, optimizer) = Run();
        new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o)) { Monitor = "f1" }.AttachTo(runner);

        Assert.That(() => runner.Run(1), Throws.TypeOf<ReporterException>().With.Message.Contains("'f1'").And.Message.Contains("loss, accuracy").And.InnerException.TypeOf<InvalidOperationException>());
    }

    private static (Runner Runner, optim.Optimizer Optimizer) Run()
    {
        var (runner, _) = Synthetic.Run();
        return (runner, runner.Trainer.Optimizer);
    }

    private static List<double> RatesPerEpoch(Runner runner, optim.Optimizer optimizer)
    {
        var rates = new List<double>();
        runner.EpochStarted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train)
            {
                rates.Add(optimizer.ParamGroups.First().LearningRate);
            }
        });
        return rates;
    }

    private static (Runner Runner, nn.Module Model, LearningRateSchedule Schedule, List<double> Rates) RunWithSchedule(Checkpointer? checkpoints, string kind)
    {
        var (runner, model) = CheckpointRuns.Create(checkpoints);
        var optimizer = runner.Trainer.Optimizer;
        var schedule = kind switch
        {
            "step-epoch" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.StepLR(o, step_size: 1, gamma: 0.7)),
            "exponential-batch" => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ExponentialLR(o, gamma: 0.97), ScheduleInterval.Batch),
            _ => new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0, threshold: 0.2)) { Monitor = "loss" },
        };
        schedule.AttachTo(runner);
        return (runner, model, schedule, RatesPerEpoch(runner, optimizer));
    }
}
