using TinyDl.Metrics;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Core;

public sealed class TrainingTests
{
    [Test]
    public void The_epoch_loss_is_exact_when_the_last_batch_is_short()
    {
        // Arrange: 50 samples, the last validation batch holds 1 sample.
        var (x, y) = Synthetic.Classification(50);
        manual_seed(3);
        var model = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();
        using var validator = new Validator(model, new TensorBatches(x, y, 7), loss, [new Loss(), new Accuracy()]);

        // Act
        var epoch = validator.RunEpoch()!;

        // Assert: the same as one pass over all 50 samples at once.
        using var noGrad = no_grad();
        var output = model.call(x);
        var expectedLoss = loss.call(output, y).item<float>();
        var expectedAccuracy = output.argmax(1).eq(y).sum().item<long>() / 50.0;
        Assert.Multiple(() =>
        {
            Assert.That(epoch.Metrics["loss"], Is.EqualTo(expectedLoss).Within(1e-6));
            Assert.That(epoch.Metrics["accuracy"], Is.EqualTo(expectedAccuracy).Within(1e-12));
            Assert.That(epoch.Samples, Is.EqualTo(50));
            Assert.That(epoch.Batches, Is.EqualTo(8));
        });
    }

    [Test]
    public void Validation_metrics_do_not_depend_on_the_batch_size()
    {
        var (x, y) = Synthetic.Classification(200, seed: 5);
        manual_seed(3);
        var model = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();

        var values = new[] { 1, 7, 333, 10000 }.Select(batchSize =>
        {
            using var validator = new Validator(model, new TensorBatches(x, y, batchSize), loss, [new Loss(), new Accuracy()]);
            return validator.RunEpoch()!.Metrics;
        }).ToList();

        Assert.Multiple(() =>
        {
            foreach (var metrics in values.Skip(1))
            {
                Assert.That(metrics["loss"], Is.EqualTo(values[0]["loss"]).Within(1e-6));
                Assert.That(metrics["accuracy"], Is.EqualTo(values[0]["accuracy"]));
            }
        });
    }

    [Test]
    public void The_same_seed_gives_the_same_run_bit_for_bit()
    {
        static List<double> RunOnce()
        {
            var (runner, model) = Synthetic.Run(trainSamples: 120, seed: 11);
            var values = new List<double>();
            runner.EpochCompleted.Subscribe(e => values.AddRange(e.Metrics.Select(m => m.Value)));
            runner.Run(3);
            values.AddRange(model.parameters().SelectMany(p => p.data<float>().ToArray()).Select(v => (double)v));
            return values;
        }

        var first = RunOnce();
        var second = RunOnce();

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Training_lowers_the_loss_on_a_learnable_problem()
    {
        var (runner, _) = Synthetic.Run(trainSamples: 400, seed: 2);
        var losses = new List<(Stage Stage, double Loss)>();
        using var subscription = runner.EpochCompleted.Subscribe(e => losses.Add((e.Stage, e.Metrics["loss"])));

        var result = runner.Run(5);

        var train = losses.Where(l => l.Stage == Stage.Train).Select(l => l.Loss).ToArray();
        var validation = losses.Where(l => l.Stage == Stage.Validation).Select(l => l.Loss).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(train, Has.Length.EqualTo(5));
            Assert.That(train[^1], Is.LessThan(0.5 * train[0]), $"training losses: {string.Join(", ", train)}");
            Assert.That(validation[^1], Is.LessThan(validation[0]), $"validation losses: {string.Join(", ", validation)}");
            Assert.That(result.Final[Stage.Validation]["loss"], Is.EqualTo(validation[^1]));
            Assert.That(result.Final[Stage.Validation]["accuracy"], Is.GreaterThan(0.85));
        });
    }

    [Test]
    public void Live_tensors_stay_constant_from_epoch_to_epoch()
    {
        // Arrange
        var (runner, _) = Synthetic.Run(trainSamples: 200, seed: 4);
        var live = new List<long>();
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Validation)
            {
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }
        });

        // Act
        runner.Run(8);

        // Assert: after the first epochs (optimizer state and metric sums allocated), nothing grows.
        Assert.That(live.Skip(2).Distinct().Count(), Is.EqualTo(1), $"live tensors per epoch: {string.Join(", ", live)}");
    }

    [Test]
    public void Metrics_copy_to_the_host_once_per_epoch_not_once_per_batch()
    {
        var (x, y) = Synthetic.Classification(500);
        var model = nn.Linear(4, 3);
        using var validator = new Validator(model, new TensorBatches(x, y, 5), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        HostTransfers.ResetCount();

        validator.RunEpoch();

        Assert.That(HostTransfers.Count, Is.EqualTo(2), "one transfer per metric for 100 batches");
    }

    [Test]
    public void A_trainer_trains_alone_and_counts_its_global_step()
    {
        var (x, y) = Synthetic.Classification(30);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 4), optim.SGD(model.parameters(), 0.1), (o, t) => nn.functional.cross_entropy(o, t), [new Loss()]);

        var first = trainer.RunEpoch(1)!;
        var second = trainer.RunEpoch(2)!;

        Assert.Multiple(() =>
        {
            Assert.That(first.GlobalStep, Is.EqualTo(8));
            Assert.That(second.GlobalStep, Is.EqualTo(16));
            Assert.That(second.Metrics["loss"], Is.LessThan(first.Metrics["loss"]));
        });
    }

    [Test]
    public void The_validator_restores_the_training_mode_and_computes_no_gradients()
    {
        var (x, y) = Synthetic.Classification(10);
        var model = nn.Linear(4, 3);
        model.train();
        var sawGradients = false;
        using var validator = new Validator(model, new TensorBatches(x, y, 5));
        validator.BatchCompleted.Subscribe(e => sawGradients |= e.Output!.requires_grad || model.training);

        validator.RunEpoch();

        Assert.Multiple(() =>
        {
            Assert.That(sawGradients, Is.False);
            Assert.That(model.training, Is.True);
        });
    }

    [Test]
    public void A_loss_metric_on_a_validator_without_a_loss_function_says_what_is_missing()
    {
        var (x, y) = Synthetic.Classification(10);
        using var validator = new Validator(nn.Linear(4, 3), new TensorBatches(x, y, 5), metrics: [new Loss()]);

        Assert.That(() => validator.RunEpoch(), Throws.InvalidOperationException.With.Message.Contains("give the Validator a loss function"));
    }

    [Test]
    public void TorchSharp_data_loaders_work_as_batches()
    {
        var (x, y) = Synthetic.Classification(23);
        using var dataset = utils.data.TensorDataset(x, y);
        using var loader = utils.data.DataLoader(dataset, 5, shuffle: false);
        var model = nn.Linear(4, 3);
        using var validator = new Validator(model, loader.AsBatches(), nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
        int? announced = null;
        validator.EpochStarted.Subscribe(e => announced = e.Batches);

        var epochs = Enumerable.Range(1, 3).Select(epoch => validator.RunEpoch(epoch)!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(announced, Is.EqualTo(5));
            Assert.That(epochs.Select(e => e.Samples), Is.All.EqualTo(23));
            Assert.That(epochs[2].Metrics["loss"], Is.EqualTo(epochs[0].Metrics["loss"]).Within(1e-6));
        });
    }
}
