using Google.Protobuf.WellKnownTypes;
using TinyDl.Tests.Support;
using static TinyDl.Tests.Support.TensorBoardScenario;

namespace TinyDl.Tests.Reporters;

// Field numbers are those of tensorboard/plugins/hparams/plugin_data.proto and api.proto:
// HParamsPluginData { version = 1; experiment = 2; session_start_info = 3; session_end_info = 4 }.
public sealed class TensorBoardReporterHParamsTests
{
    [Test]
    public void The_experiment_lists_every_hyperparameter_with_its_type_and_every_metric_tag()
    {
        using var tb = new TensorBoardScenario();

        tb.RunTwoEpochs();

        var events = tb.ReadSingleFile();
        var data = HParams(events, "_hparams_/experiment");
        var experiment = data.Message(2);
        var metricInfos = experiment.Messages(5);
        Assert.Multiple(() =>
        {
            Assert.That(data.Numbers, Is.EqualTo(new[] { 2 }), "version 0, the default, and the experiment alone");
            Assert.That(experiment.Double(3), Is.EqualTo(StartSeconds).Within(1e-6), "time_created_secs");
            Assert.That(experiment.Messages(4).Select(info => (info.String(1), info.Varint(4))), Is.EqualTo(new[]
            {
                ("lr", 3UL), ("hidden", 3UL), ("optimizer", 1UL), ("nesterov", 2UL), ("dropout", 3UL), ("seed", 3UL),
            }), "hparam_infos: name and type (1 string, 2 bool, 3 float64)");
            Assert.That(metricInfos.Select(info => (info.Message(1).String(1), info.Message(1).String(2), info.Varint(5))), Is.EqualTo(new[]
            {
                ("", "train/loss", 1UL), ("", "train/accuracy", 1UL), ("", "validation/loss", 2UL), ("", "validation/accuracy", 2UL),
            }), "metric_infos: group, tag and dataset type (1 training, 2 validation)");
            Assert.That(metricInfos.Select(info => info.Message(1).String(2)), Is.SubsetOf(Scalars(events).Select(s => s.Tag)));
        });
    }

    [Test]
    public void The_session_start_holds_the_hyperparameter_values_and_the_start_time()
    {
        using var tb = new TensorBoardScenario();

        tb.RunTwoEpochs();

        var start = HParams(tb.ReadSingleFile(), "_hparams_/session_start_info").Message(3);
        var hparams = start.Messages(1).ToDictionary(entry => entry.String(1), entry => Value.Parser.ParseFrom(entry.Bytes(2)));
        Assert.Multiple(() =>
        {
            Assert.That(hparams.Keys, Is.EquivalentTo(new[] { "lr", "hidden", "optimizer", "nesterov", "dropout", "seed" }));
            Assert.That(hparams["lr"].NumberValue, Is.EqualTo(0.001));
            Assert.That(hparams["hidden"].NumberValue, Is.EqualTo(256.0));
            Assert.That(hparams["optimizer"].StringValue, Is.EqualTo("adam"));
            Assert.That(hparams["nesterov"].BoolValue, Is.True);
            Assert.That(hparams["dropout"].NumberValue, Is.EqualTo(0.1), "a float as it reads, not 0.100000001");
            Assert.That(hparams["seed"].NumberValue, Is.EqualTo(7.0));
            Assert.That(start.Double(5), Is.EqualTo(StartSeconds).Within(1e-6), "start_time_secs");
        });
    }

    [Test]
    public void The_records_are_written_once_when_the_first_epoch_has_run_all_its_stages()
    {
        using var tb = new TensorBoardScenario();

        tb.RunTwoEpochs();

        var tags = EventFileReader.Values(tb.ReadSingleFile()).Select(v => v.Value.Tag);
        Assert.That(tags, Is.EqualTo(new[]
        {
            "train/loss", "train/accuracy", "validation/loss", "validation/accuracy",
            "_hparams_/experiment", "_hparams_/session_start_info",
            "train/loss", "train/accuracy", "validation/loss", "validation/accuracy",
            "_hparams_/session_end_info",
        }));
    }

    [TestCase(RunStatus.Completed)]
    [TestCase(RunStatus.Stopped)]
    public void The_session_end_reports_success_for_a_run_that_ended_cleanly(RunStatus status)
    {
        using var tb = new TensorBoardScenario();
        tb.Run.Start(SampleExperiment, epochs: 2);
        tb.Run.Epoch(Stage.Train, 1, 100, FakeRun.Values(("loss", 0.9, false)));
        tb.Run.Epoch(Stage.Validation, 1, 100, FakeRun.Values(("loss", 0.8, false)));
        tb.Now = Start.AddSeconds(90.5);

        tb.Run.End(status, 1, 100);

        var end = HParams(tb.ReadSingleFile(), "_hparams_/session_end_info").Message(4);
        Assert.Multiple(() =>
        {
            Assert.That(end.Varint(1), Is.EqualTo(1UL), "STATUS_SUCCESS");
            Assert.That(end.Double(2), Is.EqualTo(StartSeconds + 90.5).Within(1e-6), "end_time_secs");
        });
    }

    [Test]
    public void The_session_end_reports_failure_for_a_failed_run()
    {
        using var tb = new TensorBoardScenario();

        tb.RunTwoEpochs(RunStatus.Failed);

        var events = tb.ReadSingleFile();
        Assert.Multiple(() =>
        {
            Assert.That(HParams(events, "_hparams_/session_end_info").Message(4).Varint(1), Is.EqualTo(2UL), "STATUS_FAILURE");
            Assert.That(() => OpenExclusively(tb.Reporter.FilePath!), Throws.Nothing, "the file is closed");
        });
    }

    [Test]
    public void A_run_that_fails_before_any_epoch_leaves_a_complete_closed_file()
    {
        using var tb = new TensorBoardScenario();
        tb.Run.Start(SampleExperiment);

        tb.Run.End(RunStatus.Failed, 0, 0, new InvalidOperationException("The data loader failed."));

        var events = tb.ReadSingleFile();
        var experiment = HParams(events, "_hparams_/experiment").Message(2);
        Assert.Multiple(() =>
        {
            Assert.That(() => OpenExclusively(tb.Reporter.FilePath!), Throws.Nothing, "the file is closed");
            Assert.That(EventFileReader.Values(events).Select(v => v.Value.Tag), Is.EqualTo(new[]
            {
                "_hparams_/experiment", "_hparams_/session_start_info", "_hparams_/session_end_info",
            }));
            Assert.That(experiment.Messages(4), Has.Count.EqualTo(6));
            Assert.That(experiment.Messages(5), Is.Empty);
            Assert.That(HParams(events, "_hparams_/session_end_info").Message(4).Varint(1), Is.EqualTo(2UL));
        });
    }

    [Test]
    public void A_run_without_an_experiment_still_writes_the_records()
    {
        using var tb = new TensorBoardScenario();

        tb.Run.Start(experiment: null, epochs: 1, stages: Stage.Train);
        tb.Run.Epoch(Stage.Train, 1, 10, FakeRun.Values(("loss", 0.4, false)));
        tb.Run.End(RunStatus.Completed, 1, 10);

        var events = tb.ReadSingleFile();
        var experiment = HParams(events, "_hparams_/experiment").Message(2);
        Assert.Multiple(() =>
        {
            Assert.That(experiment.Messages(4), Is.Empty);
            Assert.That(experiment.Messages(5).Select(info => info.Message(1).String(2)), Is.EqualTo(new[] { "train/loss" }));
            Assert.That(HParams(events, "_hparams_/session_start_info").Message(3).Messages(1), Is.Empty);
            Assert.That(HParams(events, "_hparams_/session_end_info").Message(4).Varint(1), Is.EqualTo(1UL));
        });
    }

    [Test]
    public void Each_run_of_a_reused_reporter_gets_its_own_complete_file()
    {
        using var tb = new TensorBoardScenario();
        tb.RunTwoEpochs();
        tb.NextRun();

        tb.RunTwoEpochs(RunStatus.Failed);

        var files = tb.Files().Select(EventFileReader.Read).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(files.Select(f => f[0].FileVersion), Is.EqualTo(new[] { "brain.Event:2", "brain.Event:2" }));
            Assert.That(files.Select(f => HParams(f, "_hparams_/session_end_info").Message(4).Varint(1)), Is.EqualTo(new[] { 1UL, 2UL }));
        });
    }
}
