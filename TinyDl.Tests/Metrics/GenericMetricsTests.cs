using TinyDl.Metrics;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class GenericMetricsTests
{
    private static readonly float[] BatchLosses = [0.9f, 0.5f, 0.25f, 2f];

    [Test]
    public void Loss_and_mean_of_the_loss_weight_each_batch_by_its_samples()
    {
        // Arrange
        var expected = BatchLosses.Zip(UnevenSizes, (l, n) => (double)l * n).Sum() / UnevenSizes.Sum();
        using var loss = new Loss();
        using var mean = new Mean("mean_loss");

        // Act
        FeedLosses(loss, mean);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(loss.Compute(), Is.EqualTo(expected).Within(1e-6));
            Assert.That(mean.Compute(), Is.EqualTo(expected).Within(1e-6));
        });
    }

    [Test]
    public void Mean_of_per_sample_values_counts_every_sample_once()
    {
        // Arrange
        var values = Normal(UnevenSizes.Sum() * 3, seed: 51);
        var expected = Enumerable.Range(0, UnevenSizes.Sum()).Average(i => Math.Sqrt(Enumerable.Range(0, 3).Sum(j => (double)values[(i * 3) + j] * values[(i * 3) + j])));
        using var output = Matrix(values, 3);
        using var target = zeros(UnevenSizes.Sum());
        using var metric = new Mean("output_norm", b => b.Output!.norm(1));

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Running_average_smooths_the_loss_exponentially_within_the_epoch()
    {
        // Arrange
        const double alpha = 0.9;
        var expected = (double)BatchLosses[0];
        foreach (var loss in BatchLosses.Skip(1))
        {
            expected = (alpha * expected) + ((1 - alpha) * loss);
        }

        using var metric = new RunningAverage(alpha: alpha);

        // Act
        FeedLosses(metric);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(metric.Name, Is.EqualTo("running_loss"));
            Assert.That(metric.ReadCurrent(), Is.EqualTo(expected).Within(1e-6));
        });
    }

    [Test]
    public void A_lambda_metric_divides_the_epochs_summed_values_by_its_summed_counts()
    {
        // Arrange: the fraction of positive output elements.
        var values = Normal(UnevenSizes.Sum() * 2, seed: 52);
        var expected = values.Count(v => v > 0) / (double)values.Length;
        using var output = Matrix(values, 2);
        using var target = zeros(UnevenSizes.Sum());
        using var metric = new LambdaMetric("positive_fraction", b => (b.Output!.gt(0).sum(), b.Output.numel()), higherIsBetter: true);

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Mean_of_the_loss_explains_a_missing_loss()
    {
        // Arrange
        using var output = zeros(2, 2);
        using var metric = new Mean("mean_loss");

        // Act & Assert
        Assert.That(() => metric.Update(Batch(output, output)), Throws.InvalidOperationException.With.Message.Contains("mean_loss").And.Message.Contains("loss function"));
    }

    private static void FeedLosses(params Metric[] metrics)
    {
        foreach (var metric in metrics)
        {
            metric.Reset();
            for (var i = 0; i < BatchLosses.Length; i++)
            {
                using var scope = NewDisposeScope();
                var output = zeros(UnevenSizes[i], 2);
                metric.Update(Batch(output, output, tensor(BatchLosses[i]), i + 1));
            }
        }
    }
}
