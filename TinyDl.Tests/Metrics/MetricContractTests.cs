using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using TorchSharp;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class MetricContractTests
{
    private const int Samples = 50;
    private static readonly string[] ExpectedNames = ["loss", "accuracy", "cross_entropy", "f1_macro", "roc_auc"];

    [Test]
    public void Every_metric_gives_the_same_value_for_batches_of_1_7_and_all_samples()
    {
        foreach (var (metric, output, target) in MetricCases.All(Samples))
        {
            // Arrange
            using var _ = metric;

            // Act
            var values = new[] { 1, 7, Samples }.Select(size => ComputeWithLoss(metric, output, target, Sizes(Samples, size))).ToArray();

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(values[1], Is.EqualTo(values[0]).Within(1e-6), $"{metric.Name}: batches of 7 (the last of 1) vs 1");
                Assert.That(values[2], Is.EqualTo(values[0]).Within(1e-6), $"{metric.Name}: one batch vs batches of 1");
            });
        }
    }

    [Test]
    public void Every_metric_computed_without_samples_raises_an_error_naming_it_and_skips_empty_batches()
    {
        foreach (var (metric, output, target) in MetricCases.All(Samples))
        {
            // Arrange
            using var _ = metric;
            metric.Reset();
            using (NewDisposeScope())
            {
                metric.Update(Batch(output.narrow(0, 0, 0), target.narrow(0, 0, 0), zeros([])));
            }

            // Act & Assert
            Assert.That(() => metric.ComputeValues().ToList(), metric is ConfusionMatrix ? Throws.Nothing : Throws.InvalidOperationException.With.Message.Contains($"'{metric.Name}'"), metric.Name);
            Assert.That(() => metric.Compute(), Throws.InvalidOperationException.With.Message.Contains($"'{metric.Name}'"), metric.Name);
        }
    }

    [Test]
    public void A_mismatched_target_is_rejected_with_the_metric_name_and_both_shapes()
    {
        foreach (var (metric, output, _) in MetricCases.All(Samples).Where(c => c.Metric is not (Loss or Mean or LambdaMetric)))
        {
            // Arrange
            using var _ = metric;
            using var wrong = zeros(Samples, 9, 2);

            // Act & Assert
            Assert.That(
                () => metric.Update(Batch(output, wrong, zeros([]))),
                Throws.ArgumentException.With.Message.Contains($"'{metric.Name}'").And.Message.Contains("[50, 9, 2]").And.Message.Contains($"[{string.Join(", ", output.shape)}]")
                    .And.Message.Match(@"expects [a-z0-9]"),
                metric.Name);
        }
    }

    [Test]
    public void An_epoch_of_many_batches_costs_as_many_host_transfers_as_an_epoch_of_few()
    {
        // Arrange
        var few = TransfersForOneEpoch(batches: 4);

        // Act
        var many = TransfersForOneEpoch(batches: 64);

        // Assert: one transfer per metric and epoch (CrossEntropy and F1 read one array each).
        Assert.Multiple(() =>
        {
            Assert.That(many, Is.EqualTo(few));
            Assert.That(many, Is.LessThanOrEqualTo(ValidatorMetrics().Length));
        });
    }

    [Test]
    public void Metrics_attached_to_a_validator_appear_in_its_epoch_completed_event_under_stable_names()
    {
        // Arrange
        using var validator = NewValidator(batches: 5, out var inputs, out var targets);
        EpochCompleted? completed = null;
        using var subscription = validator.EpochCompleted.Subscribe(e => completed = e);

        // Act
        validator.RunEpoch();

        // Assert
        using var all = ((nn.Module<Tensor, Tensor>)validator.Model).call(inputs);
        using var expectedLoss = nn.functional.cross_entropy(all, targets);
        Assert.Multiple(() =>
        {
            Assert.That(completed!.Metrics.Names, Is.EqualTo(ExpectedNames));
            Assert.That(completed.Metrics["loss"], Is.EqualTo(expectedLoss.item<float>()).Within(1e-5));
            Assert.That(completed.Metrics["cross_entropy"], Is.EqualTo(completed.Metrics["loss"]).Within(1e-6));
        });
    }

    [Test]
    public void Metrics_leave_no_tensor_alive_after_dispose()
    {
        // Arrange
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // Act
        foreach (var (metric, output, target) in MetricCases.All(Samples))
        {
            ComputeWithLoss(metric, output, target, Sizes(Samples, 7));
            metric.Dispose();
            output.Dispose();
            target.Dispose();
        }

        // Assert
        Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount, Is.EqualTo(before));
    }

    private static double ComputeWithLoss(Metric metric, Tensor output, Tensor target, int[] sizes)
    {
        metric.Reset();
        long start = 0;
        foreach (var size in sizes)
        {
            using var scope = NewDisposeScope();
            var batchOutput = output.narrow(0, start, size);
            metric.Update(Batch(batchOutput, target.narrow(0, start, size), batchOutput.square().reshape(size, -1).sum(1L).mean()));
            start += size;
        }

        return metric.Compute();
    }

    private static Metric[] ValidatorMetrics() =>
        [new Loss(), new Accuracy(), new CrossEntropy(), new F1Score(3), new RocAuc(3) { Scores = ScoreKind.Logits }];

    private static long TransfersForOneEpoch(int batches)
    {
        using var validator = NewValidator(batches, out var inputs, out var targets);
        var before = HostTransfers.Count;
        validator.RunEpoch();
        var transfers = HostTransfers.Count - before;
        foreach (var metric in validator.Metrics)
        {
            metric.Dispose();
        }

        inputs.Dispose();
        targets.Dispose();
        return transfers;
    }

    private static Validator NewValidator(int batches, out Tensor inputs, out Tensor targets)
    {
        torch.random.manual_seed(61);
        var model = nn.Linear(4, 3);
        inputs = randn((batches * 8) - 7, 4);
        targets = randint(0, 3, inputs.size(0), ScalarType.Int64);
        return new Validator(model, new TensorBatches(inputs, targets, 8), (o, t) => nn.functional.cross_entropy(o, t), ValidatorMetrics());
    }
}
