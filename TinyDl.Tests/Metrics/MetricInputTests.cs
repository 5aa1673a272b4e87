using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using TorchSharp;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class MetricInputTests
{
    private const int Samples = 12;

    private static IEnumerable<(Metric Metric, Tensor Output, Tensor Target)> ScoreCases() =>
        MetricCases.All(Samples).Where(c => c.Metric is not (Loss or Mean or LambdaMetric));

    [Test]
    public void Every_metric_refuses_a_null_batch()
    {
        using var optimizer = optim.SGD(nn.Linear(1, 1).parameters(), 0.1);
        Metric[] others = [new RunningAverage(), new LearningRate(optimizer), new Loss(), new Mean("m")];
        foreach (var metric in MetricCases.All(Samples).Select(c => c.Metric).Concat(others))
        {
            using var _ = metric;
            Assert.That(() => metric.Update((BatchCompleted)null!), Throws.ArgumentNullException, metric.Name);
        }
    }

    [Test]
    public void Every_score_metric_wants_floating_point_scores_and_targets_with_the_batchs_samples()
    {
        foreach (var (metric, output, target) in ScoreCases())
        {
            using var _ = metric;
            using var integers = output.to_type(ScalarType.Int64);
            using var scalar = tensor(1L);
            using var shortTarget = target.narrow(0, 0, Samples - 1);
            Assert.Multiple(() =>
            {
                Assert.That(() => metric.Update(Batch(integers, target)), Throws.ArgumentException.With.Message.Contains("a floating-point output"), metric.Name);
                Assert.That(() => metric.Update(Batch(output, scalar)), Throws.ArgumentException.With.Message.Contains("a target with the batch's 12 samples"), metric.Name);
                Assert.That(() => metric.Update(Batch(output, shortTarget)), Throws.ArgumentException.With.Message.Contains("a target with the batch's 12 samples"), metric.Name);
                Assert.That(() => metric.Update(Batch(output, target) with { Output = null }), Throws.InvalidOperationException.With.Message.Contains("set StepOutput.Output"), metric.Name);
                Assert.That(() => metric.Update(Batch(output, target) with { Target = null }), Throws.InvalidOperationException.With.Message.Contains("set StepOutput.Target"), metric.Name);
            });
        }
    }

    [Test]
    public void An_empty_batch_is_skipped_before_anything_is_checked_or_added()
    {
        foreach (var (metric, output, target) in MetricCases.All(Samples))
        {
            // Arrange: an empty batch whose loss is NaN and whose target has the wrong trailing shape.
            using var _ = metric;
            metric.Reset();
            using (NewDisposeScope())
            {
                metric.Update(Batch(output.narrow(0, 0, 0), zeros(0, 7, 5), tensor(float.NaN)));
            }

            metric.Update(Batch(output, target, output.square().mean()));
            var afterEmpty = metric.Compute();

            // Act
            metric.Reset();
            using (NewDisposeScope())
            {
                metric.Update(Batch(output, target, output.square().mean()));
            }

            // Assert
            Assert.That(afterEmpty, Is.EqualTo(metric.Compute()), metric.Name);
        }
    }

    [Test]
    public void Reset_forgets_the_first_invalid_target_of_the_previous_epoch()
    {
        Metric[] metrics = [new Accuracy(), new TopKAccuracy(2), new F1Score(3), new CrossEntropy(), new RocAuc(3) { Scores = ScoreKind.Logits }];
        using var output = Matrix(Normal(Samples * 3, seed: 141), 3);
        var first = Labels(Samples, 3, seed: 142);
        var second = (long[])first.Clone();
        (first[2], second[9]) = (5, 5);
        using var firstTarget = tensor(first);
        using var secondTarget = tensor(second);
        foreach (var metric in metrics)
        {
            using var _ = metric;
            Feed(metric, output, firstTarget, 6, 6);
            Assert.That(() => metric.Compute(), Throws.InvalidOperationException.With.Message.Contains("sample 2 of"), metric.Name);

            Feed(metric, output, secondTarget, 6, 6);
            Assert.That(
                () => metric.Compute(),
                Throws.InvalidOperationException.With.Message.Contains("saw 1 sample(s) with a class index outside [0, 3) this epoch; the first is sample 9 of").And.Message.Not.Contains("target row"),
                metric.Name);
        }
    }

    [Test]
    public void Index_and_row_targets_mixed_in_one_epoch_are_both_named_in_the_error()
    {
        // Arrange
        using var output = Matrix(Normal(4 * 3, seed: 143), 3);
        using var indices = tensor(new long[] { 0, 7 });
        using var rows = tensor(new float[] { 1, 1, 0, 0, 1, 0 }, [2, 3]);
        using var metric = new Accuracy();
        metric.Update(output.narrow(0, 0, 2), indices);
        metric.Update(output.narrow(0, 2, 2), rows);

        // Act & Assert
        Assert.That(() => metric.Compute(), Throws.InvalidOperationException.With.Message.Contains("saw 2 sample(s) with a class index outside [0, 3) or a target row").And.Message.Contains("sample 1 of"));
    }

    [Test]
    public void A_binary_targets_error_speaks_of_class_indices_of_two_classes()
    {
        using var output = tensor(new[] { 0.5f, -1, 2 });
        using var target = tensor(new[] { 1L, 3, 0 });
        foreach (var metric in new Metric[] { new Accuracy { Scores = ScoreKind.Logits }, new RocAuc(), new ConfusionMatrix(2) { Scores = ScoreKind.Logits } })
        {
            using var _ = metric;
            Assert.That(() => metric.Compute(output, target), Throws.InvalidOperationException.With.Message.Contains("a class index outside [0, 2) this epoch; the first is sample 1 of").And.Message.Not.Contains("row"), metric.Name);
        }
    }

    [TestCase(ScalarType.Byte)]
    [TestCase(ScalarType.Int8)]
    [TestCase(ScalarType.Int16)]
    [TestCase(ScalarType.Int32)]
    public void Class_indices_of_every_integer_type_score_as_int64_ones(ScalarType type)
    {
        // Arrange
        using var output = Matrix(Normal(Samples * 3, seed: 144), 3);
        using var labels = tensor(Labels(Samples, 3, seed: 145));
        using var typed = labels.to_type(type);
        Metric[] metrics = [new Accuracy(), new TopKAccuracy(2), new F1Score(3), new CrossEntropy(), new RocAuc(3) { Scores = ScoreKind.Logits }];

        // Act & Assert
        Assert.Multiple(() =>
        {
            foreach (var metric in metrics)
            {
                Assert.That(metric.Compute(output, typed), Is.EqualTo(metric.Compute(output, labels)).Within(1e-12), metric.Name);
                metric.Dispose();
            }
        });
    }

    [Test]
    public void A_floating_point_vector_is_not_taken_for_class_indices()
    {
        using var output = Matrix(Normal(Samples * 3, seed: 146), 3);
        using var target = tensor(Labels(Samples, 3, seed: 147).Select(l => (float)l).ToArray());
        foreach (var metric in new Metric[] { new Accuracy(), new TopKAccuracy(2), new F1Score(3) })
        {
            using var _ = metric;
            Assert.That(() => metric.Compute(output, target), Throws.ArgumentException.With.Message.Contains("a target of class indices [N] (an integer type) or one-hot / probability rows [N, 3]"), metric.Name);
        }
    }

    [Test]
    public void A_soft_binary_target_counts_as_positive_from_one_half()
    {
        // Arrange: targets 0.7 and 0.2 are 1 and 0; scores predict 1, 1.
        using var output = tensor(new[] { 2f, 2f });
        using var target = tensor(new[] { 0.7f, 0.2f });
        using var metric = new Accuracy { Scores = ScoreKind.Logits };

        // Act & Assert
        Assert.That(metric.Compute(output, target), Is.EqualTo(0.5));
    }

    [Test]
    public void Metric_state_stays_flat_from_epoch_to_epoch()
    {
        foreach (var (metric, output, target) in MetricCases.All(Samples).Append((new RunningAverage(), MetricCases.All(Samples).First().Output, MetricCases.All(Samples).First().Target)))
        {
            using var _ = metric;
            ComputeWithLoss(metric, output, target);
            var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            ComputeWithLoss(metric, output, target);
            ComputeWithLoss(metric, output, target);
            Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount, Is.EqualTo(live), metric.Name);
        }
    }

    private static double ComputeWithLoss(Metric metric, Tensor output, Tensor target)
    {
        metric.Reset();
        foreach (var (start, size) in new[] { (0L, 5L), (5L, Samples - 5L) })
        {
            using var scope = NewDisposeScope();
            var part = output.narrow(0, start, size);
            metric.Update(Batch(part, target.narrow(0, start, size), part.square().mean()));
        }

        return metric.Compute();
    }
}
