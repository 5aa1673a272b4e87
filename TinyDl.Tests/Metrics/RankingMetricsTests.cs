using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class RankingMetricsTests
{
    private static readonly int Samples = UnevenSizes.Sum();
    private static readonly float[] DocumentationScores = [0.1f, 0.4f, 0.35f, 0.8f];
    private static readonly long[] DocumentationLabels = [0, 0, 1, 1];
    private static readonly float[] TwoScores = [0.9f, 0.1f];
    private static readonly long[] PositiveFirst = [1, 0];
    private static readonly long[] PositiveLast = [0, 1];

    [Test]
    public void Roc_auc_and_average_precision_match_scikit_learn_documentation_values()
    {
        // Arrange: y_true = [0, 0, 1, 1], y_scores = [0.1, 0.4, 0.35, 0.8] (roc_auc_score 0.75, average_precision_score 0.8333).
        using var output = tensor(DocumentationScores);
        using var target = tensor(DocumentationLabels);
        using var auc = new RocAuc();
        using var ap = new AveragePrecision();

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(auc, output, target, 3, 1), Is.EqualTo(0.75).Within(1e-6));
            Assert.That(Run(ap, output, target, 3, 1), Is.EqualTo(0.8333333333).Within(1e-6));
        });
    }

    [TestCase(7, 1.0)]
    [TestCase(8, 0.1)]
    public void Binary_roc_auc_and_average_precision_handle_tied_scores_as_scikit_learn(int seed, double rounding)
    {
        // Arrange: scores rounded to a coarse grid, so many are tied across batches.
        var scores = Normal(Samples, seed).Select(s => (float)(Math.Round(s / rounding) * rounding)).ToArray();
        var positive = Labels(Samples, 2, seed + 100).Select(l => l == 1).ToArray();
        var doubles = scores.Select(s => (double)s).ToArray();
        using var output = tensor(scores);
        using var target = tensor(positive.Select(p => p ? 1f : 0f).ToArray());
        using var auc = new RocAuc();
        using var ap = new AveragePrecision();

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(auc, output, target, UnevenSizes), Is.EqualTo(Reference.RocAuc(doubles, positive)).Within(1e-6));
            Assert.That(Run(ap, output, target, UnevenSizes), Is.EqualTo(Reference.AveragePrecision(doubles, positive)).Within(1e-6));
        });
    }

    [Test]
    public void One_vs_rest_macro_averages_per_class_values_of_softmax_probabilities()
    {
        // Arrange
        const int classes = 4;
        var logits = Normal(Samples * classes, seed: 31);
        var labels = Labels(Samples, classes, seed: 32);
        var probabilities = Enumerable.Range(0, Samples).Select(i => Reference.Softmax(logits, i, classes)).ToArray();
        var perClassAuc = Enumerable.Range(0, classes).Select(c => Reference.RocAuc([.. probabilities.Select(p => p[c])], [.. labels.Select(l => l == c)])).ToArray();
        var perClassAp = Enumerable.Range(0, classes).Select(c => Reference.AveragePrecision([.. probabilities.Select(p => p[c])], [.. labels.Select(l => l == c)])).ToArray();
        using var output = Matrix(logits, classes);
        using var target = OneHot(labels, classes);
        using var auc = new RocAuc(classes) { PerClass = true, Scores = ScoreKind.Logits };
        using var ap = new AveragePrecision(classes) { Scores = ScoreKind.Logits };

        // Act
        Feed(auc, output, target, UnevenSizes);
        var aucValues = new MetricValues(auc.ComputeValues());
        var apValue = Run(ap, output, target, UnevenSizes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(aucValues["roc_auc"], Is.EqualTo(perClassAuc.Average()).Within(1e-6));
            Assert.That(aucValues["roc_auc_class_2"], Is.EqualTo(perClassAuc[2]).Within(1e-6));
            Assert.That(apValue, Is.EqualTo(perClassAp.Average()).Within(1e-6));
        });
    }

    [TestCase(0L)]
    [TestCase(1L)]
    public void Roc_auc_of_an_epoch_with_one_class_only_is_undefined_where_scikit_learn_raises(long onlyClass)
    {
        // Arrange
        using var output = tensor(Normal(10, seed: 33));
        using var target = full(10, onlyClass, ScalarType.Int64);
        using var metric = new RocAuc();
        Feed(metric, output, target, 9, 1);

        // Act & Assert
        Assert.That(() => metric.Compute(), Throws.InstanceOf<UndefinedMetricException>().With.Message.Contains("roc_auc").And.Message.Contains(onlyClass == 0 ? "only negatives" : "only positives"));
    }

    [Test]
    public void Average_precision_without_positives_is_zero_and_with_only_positives_is_one()
    {
        // Arrange
        using var output = tensor(Normal(10, seed: 34));
        using var negatives = zeros(10, ScalarType.Int64);
        using var positives = ones(10, ScalarType.Int64);
        using var metric = new AveragePrecision();

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(metric, output, negatives, 9, 1), Is.EqualTo(0).Within(1e-6));
            Assert.That(Run(metric, output, positives, 9, 1), Is.EqualTo(1).Within(1e-6));
        });
    }

    [Test]
    public void Reset_releases_the_scores_of_the_previous_epoch()
    {
        // Arrange
        using var output = tensor(TwoScores);
        using var first = tensor(PositiveFirst);
        using var second = tensor(PositiveLast);
        using var metric = new RocAuc();

        // Act
        var before = Run(metric, output, first, 2);
        var after = Run(metric, output, second, 2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(1).Within(1e-6));
            Assert.That(after, Is.EqualTo(0).Within(1e-6));
        });
    }
}
