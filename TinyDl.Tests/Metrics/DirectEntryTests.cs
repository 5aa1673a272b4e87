using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using TorchSharp;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class DirectEntryTests
{
    private const int Samples = 40;

    [Test]
    public void Scoring_tensors_directly_gives_every_metric_the_value_of_the_batch_path()
    {
        foreach (var (metric, output, target) in MetricCases.All(Samples).Where(c => c.Metric is not (Loss or Mean)))
        {
            // Arrange
            using var _ = metric;
            var fromBatches = Run(metric, output, target, 25, 15);

            // Act
            var oneCall = metric.Compute(output, target);
            metric.Reset();
            metric.Update(output.narrow(0, 0, 25), target.narrow(0, 0, 25));
            metric.Update(output.narrow(0, 25, 15), target.narrow(0, 25, 15));
            var twoUpdates = metric.Compute();

            // Assert
            Assert.Multiple(() =>
            {
                Assert.That(oneCall, Is.EqualTo(fromBatches).Within(1e-6), metric.Name);
                Assert.That(twoUpdates, Is.EqualTo(fromBatches).Within(1e-12), metric.Name);
            });
        }
    }

    [Test]
    public void Compute_on_tensors_starts_afresh_and_builds_no_autograd_graph()
    {
        // Arrange
        using var weights = randn(5, 3).requires_grad_();
        using var logits = randn(8, 5).matmul(weights);
        using var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        using var metric = new Accuracy();
        metric.Update(logits, tensor(new long[] { 2, 2, 2, 2, 2, 2, 2, 2 }));
        var expected = Reference.Predictions(logits.detach().data<float>().ToArray(), 3).Zip(labels.data<long>().ToArray()).Count(p => p.First == p.Second) / 8.0;
        var live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // Act
        var actual = metric.Compute(logits, labels);

        // Assert: the earlier update is forgotten, and no tensor (graph node or temporary) is left behind.
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
            Assert.That(DisposeScopeManager.Statistics.ThreadTotalLiveCount, Is.EqualTo(live));
        });
    }

    [Test]
    public void A_scalar_output_is_rejected_with_the_metrics_expectation()
    {
        // Arrange
        using var output = tensor(0.5f);
        using var target = tensor(1L);
        using var metric = new Accuracy { Scores = ScoreKind.Logits };

        // Act & Assert
        Assert.That(() => metric.Compute(output, target), Throws.ArgumentException.With.Message.Contains("'accuracy' expects a floating-point output with the batch's 1 samples"));
    }
}
