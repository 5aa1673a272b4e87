using System.Net;
using System.Text.RegularExpressions;
using Tensorboard;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Tests.Support;
using TorchSharp;
using static TinyDl.Tests.Support.TensorBoardScenario;

namespace TinyDl.Tests.Reporters;

public sealed class TensorBoardReporterTests
{
    [Test]
    public void The_event_file_is_created_in_a_missing_directory_with_the_standard_name()
    {
        using var tb = new TensorBoardScenario();

        tb.Run.Start();

        var file = tb.Files().Single();
        var pattern = $@"^events\.out\.tfevents\.{Start.ToUnixTimeSeconds()}\.{Regex.Escape(Dns.GetHostName())}\.\d+\.\d+$";
        Assert.Multiple(() =>
        {
            Assert.That(Path.GetFileName(file), Does.Match(pattern));
            Assert.That(tb.Reporter.FilePath, Is.EqualTo(file));
        });
    }

    [Test]
    public void The_first_record_names_the_file_version()
    {
        using var tb = new TensorBoardScenario();

        tb.RunTwoEpochs();

        var first = tb.ReadSingleFile()[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.FileVersion, Is.EqualTo("brain.Event:2"));
            Assert.That(first.WallTime, Is.EqualTo(StartSeconds).Within(1e-6));
        });
    }

    [Test]
    public void Scalars_are_written_with_stage_slash_metric_tags_at_the_global_step()
    {
        using var tb = new TensorBoardScenario();

        tb.RunTwoEpochs();

        var scalars = Scalars(tb.ReadSingleFile());
        Assert.Multiple(() =>
        {
            Assert.That(scalars.Select(s => (s.Tag, s.Step)), Is.EqualTo(new[]
            {
                ("train/loss", 100L), ("train/accuracy", 100L), ("validation/loss", 100L), ("validation/accuracy", 100L),
                ("train/loss", 200L), ("train/accuracy", 200L), ("validation/loss", 200L), ("validation/accuracy", 200L),
            }));
            Assert.That(scalars.Select(s => s.Value), Is.EqualTo(new[] { 0.9, 0.6, 0.8, 0.65, 0.5, 0.8, 0.6, 0.75 }).Within(1e-6));
        });
    }

    [Test]
    public void Scalars_are_flushed_at_every_epoch_end_while_the_file_stays_open()
    {
        using var tb = new TensorBoardScenario();
        tb.Run.Start(SampleExperiment, epochs: 2);

        tb.Run.Epoch(Stage.Train, 1, 100, FakeRun.Values(("loss", 0.9, false)));

        Assert.Multiple(() =>
        {
            Assert.That(Scalars(tb.ReadSingleFile()).Select(s => s.Tag), Is.EqualTo(new[] { "train/loss" }));
            Assert.That(() => OpenExclusively(tb.Reporter.FilePath!), Throws.InstanceOf<IOException>());
        });
    }

    [Test]
    public void Step_losses_are_written_every_interval_training_steps_and_never_for_evaluation()
    {
        using var tb = new TensorBoardScenario(stepInterval: 2);
        tb.Run.Start();
        var transfersBefore = HostTransfers.Count;

        using (torch.NewDisposeScope())
        {
            for (var step = 1; step <= 5; step++)
            {
                tb.Run.BatchCompletedSubject.OnNext(Batch(Stage.Train, step, batch: step, loss: 0.1 * step));
            }

            tb.Run.BatchCompletedSubject.OnNext(Batch(Stage.Validation, 5, batch: 2, loss: 9.0));
        }

        tb.Run.End(RunStatus.Completed, 1, 5);

        var steps = Scalars(tb.ReadSingleFile()).Where(s => s.Tag == "train_step/loss").ToList();
        Assert.Multiple(() =>
        {
            Assert.That(steps.Select(s => s.Step), Is.EqualTo(new[] { 2L, 4L }));
            Assert.That(steps.Select(s => s.Value), Is.EqualTo(new[] { 0.2, 0.4 }).Within(1e-6));
            Assert.That(HostTransfers.Count - transfersBefore, Is.EqualTo(2));
        });
    }

    [Test]
    public void Batches_are_not_observed_by_default()
    {
        using var tb = new TensorBoardScenario();

        Assert.That(tb.Run.BatchCompletedSubject.HasObservers, Is.False);
    }

    [Test]
    public void Dispose_closes_the_file_of_a_run_that_never_completed()
    {
        using var tb = new TensorBoardScenario();
        tb.Run.Start(SampleExperiment);
        tb.Run.Epoch(Stage.Train, 1, 100, FakeRun.Values(("loss", 0.9, false)));

        tb.Reporter.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(() => OpenExclusively(tb.Reporter.FilePath!), Throws.Nothing);
            Assert.That(Scalars(tb.ReadSingleFile()).Select(s => s.Tag), Is.EqualTo(new[] { "train/loss" }));
        });
    }

    [Test]
    public void A_resumed_run_starts_with_a_session_log_that_discards_steps_after_the_resumed_one()
    {
        using var tb = new TensorBoardScenario();

        tb.Run.RunStartedSubject.OnNext(new RunStarted(3, 200, TimeSpan.Zero, null, 4, [Stage.Train]));
        tb.Run.End(RunStatus.Completed, 2, 200);

        var sessionLog = tb.ReadSingleFile()[1];
        Assert.Multiple(() =>
        {
            Assert.That(sessionLog.SessionLog?.Status, Is.EqualTo(SessionLog.Types.SessionStatus.Start));
            Assert.That(sessionLog.Step, Is.EqualTo(201));
        });
    }

    [Test]
    public void A_real_run_writes_its_epoch_metrics_and_step_losses_at_the_trainer_steps()
    {
        torch.manual_seed(3);
        using var scope = torch.NewDisposeScope();
        var batches = new TensorBatches(torch.randn(16, 4), torch.randint(0, 3, 16), batchSize: 4);
        using var model = torch.nn.Linear(4, 3);
        using var optimizer = torch.optim.SGD(model.parameters(), 0.1);
        using var trainer = new Trainer(model, batches, optimizer, torch.nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        using var validator = new Validator(model, batches, (o, t) => torch.nn.functional.cross_entropy(o, t), [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator) { Experiment = SampleExperiment };
        using var tb = new TensorBoardScenario(stepInterval: 2, run: runner);

        var completed = runner.Run(2);

        var scalars = Scalars(tb.ReadSingleFile());
        var last = scalars.Where(s => s.Step == 8 && !s.Tag.StartsWith("train_step/", StringComparison.Ordinal)).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(scalars.Where(s => s.Tag == "train_step/loss").Select(s => s.Step), Is.EqualTo(new[] { 2L, 4L, 6L, 8L }));
            Assert.That(scalars.Where(s => s.Tag == "validation/accuracy").Select(s => s.Step), Is.EqualTo(new[] { 4L, 8L }));
            Assert.That(last.Select(s => s.Tag), Is.EqualTo(new[] { "train/loss", "train/accuracy", "validation/loss", "validation/accuracy" }));
            Assert.That(last.Select(s => s.Value), Is.EqualTo(new[]
            {
                completed.Final[Stage.Train]["loss"], completed.Final[Stage.Train]["accuracy"],
                completed.Final[Stage.Validation]["loss"], completed.Final[Stage.Validation]["accuracy"],
            }).Within(1e-6));
            Assert.That(HParams(tb.ReadSingleFile(), "_hparams_/session_end_info").Message(4).Varint(1), Is.EqualTo(1UL));
        });
    }

    [Test]
    public void Options_and_arguments_are_checked()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new TensorBoardReporter(null!), Throws.ArgumentNullException);
            Assert.That(() => new TensorBoardReporter(" "), Throws.ArgumentException);
            Assert.That(() => new TensorBoardReporter("runs") { StepInterval = -1 }, Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => new TensorBoardReporter("runs") { TimeProvider = null! }, Throws.ArgumentNullException);
        });
    }

    [Test]
    public void The_reader_uses_standard_crc32c_and_rejects_altered_data()
    {
        using var tb = new TensorBoardScenario();
        tb.RunTwoEpochs();
        var path = tb.Reporter.FilePath!;
        var bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        var checkValue = TorchSharp.Utils.CRC32C.process("123456789"u8.ToArray());

        Assert.Multiple(() =>
        {
            Assert.That(checkValue, Is.EqualTo(0xE3069283u));
            Assert.That(() => EventFileReader.Read(path), Throws.InstanceOf<InvalidDataException>());
        });
    }

    private static BatchCompleted Batch(Stage stage, long globalStep, int batch, double loss) =>
        new(stage, 1, globalStep, TimeSpan.Zero, batch, 4, torch.zeros(4, 2), torch.zeros(4), torch.zeros(4, 2), torch.tensor(loss));
}
