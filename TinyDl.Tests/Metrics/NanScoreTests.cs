using TinyDl.Internal;
using TinyDl.Metrics;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class NanScoreTests
{
    private const int Classes = 3;
    private const int Samples = 12;

    private static IEnumerable<TestCaseData> ScoreMetrics()
    {
        yield return new TestCaseData(new Func<Metric>(() => new Accuracy())).SetArgDisplayNames("accuracy");
        yield return new TestCaseData(new Func<Metric>(() => new TopKAccuracy(2))).SetArgDisplayNames("top2");
        yield return new TestCaseData(new Func<Metric>(() => new Precision(Classes) { PerClass = true })).SetArgDisplayNames("precision");
        yield return new TestCaseData(new Func<Metric>(() => new ConfusionMatrix(Classes) { ReportCells = true })).SetArgDisplayNames("confusion");
        yield return new TestCaseData(new Func<Metric>(() => new RocAuc(Classes) { Scores = ScoreKind.Logits, PerClass = true })).SetArgDisplayNames("roc_auc");
        yield return new TestCaseData(new Func<Metric>(() => new AveragePrecision(Classes) { Scores = ScoreKind.Probabilities })).SetArgDisplayNames("ap");
    }

    [TestCaseSource(nameof(ScoreMetrics))]
    public void A_nan_score_makes_every_value_of_a_score_metric_undefined_instead_of_a_number(Func<Metric> create)
    {
        // Arrange: sample 9 (in the second batch) has a NaN score; torch would sort it highest.
        var logits = Normal(Samples * Classes, seed: 101);
        logits[(9 * Classes) + 1] = float.NaN;
        using var output = Matrix(logits, Classes);
        using var target = tensor(Labels(Samples, Classes, seed: 102));
        using var metric = create();
        Feed(metric, output, target, 8, 4);

        // Act
        var report = MetricReport.Of(metric);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => metric.Compute(), Throws.InstanceOf<UndefinedMetricException>().With.Property(nameof(UndefinedMetricException.Reason)).EqualTo("1 sample(s) have a NaN score this epoch"));
            Assert.That(report.Values, Is.Not.Empty);
            Assert.That(report.Values.Select(v => v.Value), Is.All.NaN);
            Assert.That(report.Values.Select(v => v.UndefinedReason), Is.All.EqualTo("1 sample(s) have a NaN score this epoch"));
            Assert.That(report.Warning, Does.EndWith("undefined, reported as NaN: 1 sample(s) have a NaN score this epoch"));
            Assert.That(report.Matrices, Is.Empty);
        });
    }

    [Test]
    public void A_nan_binary_score_makes_binary_metrics_undefined()
    {
        // Arrange
        using var output = tensor(new[] { 0.3f, float.NaN, -1f, 2f });
        using var target = tensor(new[] { 1L, 0, 0, 1 });
        Metric[] metrics = [new Accuracy { Scores = ScoreKind.Logits }, new F1Score(2, Average.Binary) { Scores = ScoreKind.Logits }, new RocAuc(), new AveragePrecision()];

        // Act & Assert
        Assert.Multiple(() =>
        {
            foreach (var metric in metrics)
            {
                Assert.That(() => metric.Compute(output, target), Throws.InstanceOf<UndefinedMetricException>(), metric.Name);
                metric.Dispose();
            }
        });
    }

    [Test]
    public void Losses_of_nan_scores_are_nan_as_in_torch()
    {
        // Arrange
        using var output = tensor(new[] { 0.3f, float.NaN, -1f, 2f, 1f, 0f }, [3, 2]);
        using var labels = tensor(new[] { 1L, 0, 0 });
        using var crossEntropy = new CrossEntropy();

        // Act
        var value = crossEntropy.Compute(output, labels);

        // Assert
        Assert.That(value, Is.NaN);
    }
}
