using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class RegressionMetricsTests
{
    private static readonly int Samples = UnevenSizes.Sum();

    [Test]
    public void Mse_rmse_mae_and_r2_match_the_full_arrays_over_uneven_batches()
    {
        // Arrange: targets far from zero, so a naive sum of squares would lose precision in R².
        var truth = Normal(Samples, seed: 41, scale: 3).Select(t => t + 1000f).ToArray();
        var noise = Normal(Samples, seed: 42);
        var predicted = truth.Zip(noise, (t, n) => t + n).ToArray();
        var (p, t) = (predicted.Select(v => (double)v).ToArray(), truth.Select(v => (double)v).ToArray());
        var mse = p.Zip(t, (a, b) => (a - b) * (a - b)).Average();
        var mae = p.Zip(t, (a, b) => Math.Abs(a - b)).Average();
        using var output = tensor(predicted).reshape(-1, 1);
        using var target = tensor(truth);
        using var mseMetric = new MeanSquaredError();
        using var rmseMetric = new RootMeanSquaredError();
        using var maeMetric = new MeanAbsoluteError();
        using var r2Metric = new R2Score();

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(mseMetric, output, target, UnevenSizes), Is.EqualTo(mse).Within(1e-6));
            Assert.That(Run(rmseMetric, output, target, UnevenSizes), Is.EqualTo(Math.Sqrt(mse)).Within(1e-6));
            Assert.That(Run(maeMetric, output, target, UnevenSizes), Is.EqualTo(mae).Within(1e-6));
            Assert.That(Run(r2Metric, output, target, UnevenSizes), Is.EqualTo(Reference.R2(p, t)).Within(1e-6));
        });
    }

    [Test]
    public void R2_of_several_outputs_is_the_uniform_average_and_a_constant_target_scores_one_or_zero()
    {
        // Arrange: column 0 random, column 1 a constant target predicted exactly, column 2 a constant target missed.
        var truth = new float[Samples * 3];
        var predicted = new float[Samples * 3];
        var random = Normal(Samples * 2, seed: 43);
        for (var i = 0; i < Samples; i++)
        {
            (truth[i * 3], predicted[i * 3]) = (random[i], random[i] + (0.5f * random[Samples + i]));
            (truth[(i * 3) + 1], predicted[(i * 3) + 1]) = (2, 2);
            (truth[(i * 3) + 2], predicted[(i * 3) + 2]) = (5, 4);
        }

        var column0 = Reference.R2([.. Enumerable.Range(0, Samples).Select(i => (double)predicted[i * 3])], [.. Enumerable.Range(0, Samples).Select(i => (double)truth[i * 3])]);
        using var output = Matrix(predicted, 3);
        using var target = Matrix(truth, 3);
        using var metric = new R2Score();

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo((column0 + 1 + 0) / 3).Within(1e-6));
    }

    [Test]
    public void R2_of_a_single_sample_is_undefined_and_reported_as_nan_like_scikit_learn()
    {
        // Arrange
        using var output = ones(1);
        using var target = full(1, 2f);
        using var metric = new R2Score();
        Feed(metric, output, target, 1);

        // Act
        var value = metric.ComputeValues().Single();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(value.Value, Is.NaN);
            Assert.That(value.UndefinedReason, Does.Contain("two samples"));
            Assert.That(() => metric.Compute(), Throws.InstanceOf<UndefinedMetricException>());
        });
    }

    [Test]
    public void R2_of_two_samples_is_defined()
    {
        // Arrange: targets 1 and 3, predictions 1.5 and 2: SS_res = 0.25 + 1, SS_tot = 2.
        using var output = tensor(new[] { 1.5f, 2f });
        using var target = tensor(new[] { 1f, 3f });
        using var metric = new R2Score();

        // Act
        var actual = Run(metric, output, target, 1, 1);

        // Assert
        Assert.That(actual, Is.EqualTo(1 - (1.25 / 2)).Within(1e-12));
    }
}
