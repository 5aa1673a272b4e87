using TinyDl.Metrics;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class TargetValidationTests
{
    private const int Classes = 4;
    private const int Samples = 30;

    private static IEnumerable<TestCaseData> IndexMetrics()
    {
        yield return new TestCaseData(new Func<Metric>(() => new Accuracy())).SetArgDisplayNames("accuracy");
        yield return new TestCaseData(new Func<Metric>(() => new TopKAccuracy(2))).SetArgDisplayNames("top2");
        yield return new TestCaseData(new Func<Metric>(() => new F1Score(Classes))).SetArgDisplayNames("f1");
        yield return new TestCaseData(new Func<Metric>(() => new ConfusionMatrix(Classes))).SetArgDisplayNames("confusion");
        yield return new TestCaseData(new Func<Metric>(() => new CrossEntropy())).SetArgDisplayNames("cross_entropy");
        yield return new TestCaseData(new Func<Metric>(() => new CrossEntropy([1, 2, 3, 4], name: "weighted_ce"))).SetArgDisplayNames("weighted_ce");
        yield return new TestCaseData(new Func<Metric>(() => new RocAuc(Classes) { Scores = ScoreKind.Logits })).SetArgDisplayNames("roc_auc");
        yield return new TestCaseData(new Func<Metric>(() => new AveragePrecision(Classes) { Scores = ScoreKind.Logits })).SetArgDisplayNames("ap");
    }

    [TestCaseSource(nameof(IndexMetrics))]
    public void A_class_index_out_of_range_fails_compute_naming_the_first_sample_instead_of_a_native_error(Func<Metric> create)
    {
        // Arrange: samples 19 and 25 (of the epoch, from 0) hold classes 4 and -3; batches of 12, 12, 6.
        var labels = Labels(Samples, Classes, seed: 91);
        (labels[19], labels[25]) = (Classes, -3);
        using var output = Matrix(Normal(Samples * Classes, seed: 92), Classes);
        using var target = tensor(labels);
        using var metric = create();
        Feed(metric, output, target, 12, 12, 6);

        // Act & Assert
        Assert.That(
            () => metric is ConfusionMatrix matrix ? matrix.ComputeMatrix().Length : metric.Compute(),
            Throws.TypeOf<InvalidOperationException>().With.Message.Contains($"'{metric.Name}' saw 2 sample(s) with a class index outside [0, {Classes})")
                .And.Message.Contains("the first is sample 19 of the epoch"));
    }

    [TestCaseSource(nameof(IndexMetrics))]
    public void A_multi_label_target_row_is_rejected_naming_the_first_sample_rather_than_scored(Func<Metric> create)
    {
        // Arrange: one-hot rows (integers), except sample 7 with two labels and sample 20 with none.
        var labels = Labels(Samples, Classes, seed: 93);
        var rows = new long[Samples * Classes];
        for (var i = 0; i < Samples; i++)
        {
            rows[(i * Classes) + labels[i]] = 1;
        }

        rows[(7 * Classes) + ((labels[7] + 1) % Classes)] = 1;
        rows[(20 * Classes) + labels[20]] = 0;
        using var output = Matrix(Normal(Samples * Classes, seed: 94), Classes);
        using var target = tensor(rows, [Samples, Classes]);
        using var metric = create();
        Feed(metric, output, target, 10, 20);

        // Act & Assert
        Assert.That(
            () => metric is ConfusionMatrix matrix ? matrix.ComputeMatrix().Length : metric.Compute(),
            Throws.TypeOf<InvalidOperationException>().With.Message.Contains("saw 2 sample(s) with a target row that is not one-hot")
                .And.Message.Contains("multi-label targets are not supported").And.Message.Contains("the first is sample 7 of the epoch"));
    }

    [Test]
    public void A_multi_label_float_target_is_rejected_while_probability_rows_are_accepted()
    {
        // Arrange
        using var output = Matrix(Normal(3 * Classes, seed: 95), Classes);
        using var multiLabel = tensor(new float[] { 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0 }, [3, Classes]);
        using var probabilities = tensor(new float[] { 0.1f, 0.2f, 0.3f, 0.4f, 0, 1, 0, 0, 0.25f, 0.25f, 0.5f, 0 }, [3, Classes]);
        using var accuracy = new Accuracy();
        using var f1 = new F1Score(Classes);

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => accuracy.Compute(output, multiLabel), Throws.InvalidOperationException.With.Message.Contains("sample 0"));
            Assert.That(() => f1.Compute(output, multiLabel), Throws.InvalidOperationException.With.Message.Contains("multi-label"));
            Assert.That(() => accuracy.Compute(output, probabilities), Throws.Nothing);
        });
    }

    [TestCase(2L)]
    [TestCase(-1L)]
    public void A_binary_target_other_than_0_or_1_is_rejected(long wrong)
    {
        // Arrange
        using var output = tensor(new float[] { 0.5f, -1, 2, 0.1f });
        using var target = tensor(new[] { 1L, 0, wrong, 1 });
        using var accuracy = new Accuracy { Scores = ScoreKind.Logits };
        using var auc = new RocAuc();
        using var f1 = new F1Score(2, Average.Binary) { Scores = ScoreKind.Logits };

        // Act & Assert
        Assert.Multiple(() =>
        {
            foreach (var metric in new Metric[] { accuracy, auc, f1 })
            {
                Assert.That(() => metric.Compute(output, target), Throws.InvalidOperationException.With.Message.Contains("the first is sample 2"), metric.Name);
            }
        });
    }

    [Test]
    public void Cross_entropy_leaves_ignored_targets_out_without_calling_them_invalid()
    {
        // Arrange
        var labels = Labels(Samples, Classes, seed: 96);
        labels[4] = labels[11] = -100;
        using var output = Matrix(Normal(Samples * Classes, seed: 97), Classes);
        using var target = tensor(labels);
        using var expected = nn.functional.cross_entropy(output, target);
        using var metric = new CrossEntropy();

        // Act
        var actual = Run(metric, output, target, 16, 14);

        // Assert
        Assert.That(actual, Is.EqualTo(expected.item<float>()).Within(1e-5));
    }
}
