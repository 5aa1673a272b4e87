using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class LossMetricsTests
{
    private const int Classes = 4;
    private static readonly int Samples = UnevenSizes.Sum();

    [Test]
    public void Cross_entropy_with_class_weights_and_an_ignore_index_is_the_weighted_mean_over_the_epoch()
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 21, scale: 2);
        var labels = Labels(Samples, Classes, seed: 22);
        labels[3] = labels[30] = labels[45] = -1;
        double[] weights = [0.5, 2, 1, 3];
        double loss = 0, weight = 0;
        for (var i = 0; i < Samples; i++)
        {
            if (labels[i] >= 0)
            {
                loss -= weights[labels[i]] * Math.Log(Reference.Softmax(logits, i, Classes)[labels[i]]);
                weight += weights[labels[i]];
            }
        }

        using var output = Matrix(logits, Classes);
        using var target = tensor(labels);
        using var metric = new CrossEntropy(weights, ignoreIndex: -1);
        using var torchWeights = tensor(weights.Select(w => (float)w).ToArray());
        using var torchLoss = nn.functional.cross_entropy(output, target, torchWeights, ignore_index: -1);

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(loss / weight).Within(1e-6));
            Assert.That(actual, Is.EqualTo(torchLoss.item<float>()).Within(1e-5), "TorchSharp's loss over the whole epoch at once");
        });
    }

    [Test]
    public void Cross_entropy_accepts_class_probability_targets()
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 23);
        var raw = Normal(Samples * Classes, seed: 24);
        var probabilities = Enumerable.Range(0, Samples).SelectMany(i => Reference.Softmax(raw, i, Classes).Select(p => (float)p)).ToArray();
        var expected = Enumerable.Range(0, Samples).Average(i =>
        {
            var log = Reference.Softmax(logits, i, Classes).Select(p => Math.Log(p)).ToArray();
            return -Enumerable.Range(0, Classes).Sum(c => probabilities[(i * Classes) + c] * log[c]);
        });
        using var output = Matrix(logits, Classes);
        using var target = Matrix(probabilities, Classes);
        using var metric = new CrossEntropy();

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Cross_entropy_of_an_epoch_whose_targets_are_all_ignored_is_undefined_where_torch_gives_nan()
    {
        // Arrange
        using var output = Matrix(Normal(2 * Classes, seed: 25), Classes);
        using var target = tensor(new long[] { -100, -100 });
        using var metric = new CrossEntropy();
        using var torchLoss = nn.functional.cross_entropy(output, target);
        Feed(metric, output, target, 1, 1);

        // Act
        var values = metric.ComputeValues().ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(torchLoss.item<float>(), Is.NaN);
            Assert.That(() => metric.Compute(), Throws.InstanceOf<UndefinedMetricException>().With.Message.Contains("IgnoreIndex (-100)"));
            Assert.That(values.Single().Value, Is.NaN);
            Assert.That(values.Single().UndefinedReason, Does.Contain("every target"));
        });
    }

    [TestCase(ScoreKind.Logits)]
    [TestCase(ScoreKind.Probabilities)]
    public void Binary_cross_entropy_is_the_mean_over_every_element(ScoreKind kind)
    {
        // Arrange: two labels per sample, soft targets in [0, 1].
        var scores = Normal(Samples * 2, seed: 26);
        var targets = Normal(Samples * 2, seed: 27).Select(t => 1 / (1 + MathF.Exp(-t))).ToArray();
        if (kind == ScoreKind.Probabilities)
        {
            scores = [.. scores.Select(s => 1 / (1 + MathF.Exp(-s)))];
        }

        var expected = scores.Zip(targets).Average(p =>
        {
            var probability = kind == ScoreKind.Logits ? 1 / (1 + Math.Exp(-(double)p.First)) : p.First;
            return -((p.Second * Math.Log(probability)) + ((1 - p.Second) * Math.Log(1 - probability)));
        });
        using var output = Matrix(scores, 2);
        using var target = Matrix(targets, 2);
        using var metric = new BinaryCrossEntropy { Scores = kind };

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Binary_cross_entropy_accepts_a_flat_target_for_a_single_column_output()
    {
        // Arrange
        var scores = Normal(Samples, seed: 28);
        var labels = Labels(Samples, 2, seed: 29);
        var expected = scores.Zip(labels).Average(p => Math.Log(1 + Math.Exp(p.Second == 1 ? -p.First : p.First)));
        using var output = tensor(scores).reshape(-1, 1);
        using var target = tensor(labels);
        using var metric = new BinaryCrossEntropy { Scores = ScoreKind.Logits };

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Cross_entropy_takes_one_hot_integer_targets_as_the_class_indices_they_encode()
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 131);
        var labels = Labels(Samples, Classes, seed: 132);
        double[] weights = [0.5, 2, 1, 3];
        using var output = Matrix(logits, Classes);
        using var indices = tensor(labels);
        using var oneHot = OneHot(labels, Classes).to_type(ScalarType.Int64);
        using var torchWeights = tensor(weights.Select(w => (float)w).ToArray());
        using var expected = nn.functional.cross_entropy(output, indices, torchWeights);
        using var metric = new CrossEntropy(weights);

        // Act
        var actual = Run(metric, output, oneHot, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected.item<float>()).Within(1e-5));
    }

    [Test]
    public void A_reused_cross_entropy_forgets_the_previous_epoch()
    {
        // Arrange
        using var output = Matrix(Normal(Samples * Classes, seed: 133), Classes);
        using var first = tensor(Labels(Samples, Classes, seed: 134));
        using var second = tensor(Labels(Samples, Classes, seed: 135));
        using var expected = nn.functional.cross_entropy(output, second);
        using var metric = new CrossEntropy();
        Run(metric, output, first, UnevenSizes);

        // Act
        var actual = Run(metric, output, second, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected.item<float>()).Within(1e-5));
    }
}
