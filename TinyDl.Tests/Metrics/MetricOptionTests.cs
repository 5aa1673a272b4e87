using TinyDl.Internal;
using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class MetricOptionTests
{
    private const int Samples = 24;

    private static IEnumerable<TestCaseData> Directions()
    {
        using var optimizer = optim.SGD(nn.Linear(1, 1).parameters(), 0.1);
        (Metric Metric, bool HigherIsBetter)[] cases =
        [
            (new Loss(), false), (new Accuracy(), true), (new TopKAccuracy(2), true), (new Precision(3), true), (new Recall(3), true),
            (new F1Score(3), true), (new ConfusionMatrix(3), true), (new CrossEntropy(), false), (new BinaryCrossEntropy(), false),
            (new RocAuc(), true), (new AveragePrecision(), true), (new MeanSquaredError(), false), (new RootMeanSquaredError(), false),
            (new MeanAbsoluteError(), false), (new R2Score(), true), (new Mean("m"), false), (new Mean("m", higherIsBetter: true), true),
            (new RunningAverage(), false), (new RunningAverage(higherIsBetter: true), true), (new LearningRate(optimizer), false),
            (new LambdaMetric("l", b => (b.Output!.sum(), 1), higherIsBetter: true), true),
        ];
        return cases.Select(c => new TestCaseData(c.Metric, c.HigherIsBetter).SetArgDisplayNames(c.Metric.Name + (c.HigherIsBetter ? "_up" : "_down")));
    }

    [TestCaseSource(nameof(Directions))]
    public void Every_metric_says_which_direction_is_better(Metric metric, bool higherIsBetter)
    {
        using var _ = metric;
        Assert.That(metric.HigherIsBetter, Is.EqualTo(higherIsBetter));
    }

    [Test]
    public void The_learning_rate_is_reported_unranked_and_the_other_metrics_ranked()
    {
        // Arrange
        using var model = nn.Linear(2, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.25);
        using var lr = new LearningRate(optimizer);
        using var loss = new Loss();

        // Act
        lr.Update(Batch(zeros(2, 1), zeros(2, 1)));
        loss.Update(Batch(zeros(2, 1), zeros(2, 1), tensor(0.5f)));
        var lrValue = MetricReport.Of(lr).Values.Single();
        var lossValue = MetricReport.Of(loss).Values.Single();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((lr.Ranked, lrValue.Ranked, lrValue.Value), Is.EqualTo((false, false, 0.25)));
            Assert.That((loss.Ranked, lossValue.Ranked), Is.EqualTo((true, true)));
        });
    }

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void A_threshold_outside_zero_and_one_is_refused_by_every_thresholding_metric(double threshold)
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new Accuracy { Threshold = threshold }, Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new Precision(2) { Threshold = threshold }, Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new ConfusionMatrix(2) { Threshold = threshold }, Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [TestCase(ScoreKind.Probabilities, 0.3)]
    [TestCase(ScoreKind.Logits, 0.8)]
    public void Precision_recall_f1_and_the_confusion_matrix_use_the_threshold_they_are_given(ScoreKind kind, double threshold)
    {
        // Arrange
        var raw = Normal(Samples, seed: 111);
        var scores = kind == ScoreKind.Probabilities ? [.. raw.Select(s => 1 / (1 + MathF.Exp(-s)))] : raw;
        var labels = Labels(Samples, 2, seed: 112);
        var cut = kind == ScoreKind.Logits ? Math.Log(threshold / (1 - threshold)) : threshold;
        var predicted = scores.Select(s => s > cut ? 1L : 0L).ToArray();
        var expected = Reference.PerClass(labels, predicted, 2)[1];
        using var output = tensor(scores);
        using var target = tensor(labels);
        using var precision = new Precision(2, Average.Binary) { Scores = kind, Threshold = threshold };
        using var recall = new Recall(2, Average.Binary) { Scores = kind, Threshold = threshold };
        using var f1 = new F1Score(2, Average.Binary) { Scores = kind, Threshold = threshold };
        using var matrix = new ConfusionMatrix(2) { Scores = kind, Threshold = threshold };
        Feed(matrix, output, target, 10, 14);

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(precision.Threshold, Is.EqualTo(threshold));
            Assert.That(Run(precision, output, target, 10, 14), Is.EqualTo(expected.P).Within(1e-12));
            Assert.That(Run(recall, output, target, 10, 14), Is.EqualTo(expected.R).Within(1e-12));
            Assert.That(Run(f1, output, target, 10, 14), Is.EqualTo(expected.F1).Within(1e-12));
            Assert.That(matrix.ComputeMatrix(), Is.EqualTo(Reference.Confusion(labels, predicted, 2)));
        });
    }

    [Test]
    public void Metrics_that_threshold_or_squash_scores_refuse_to_guess_whether_they_are_logits()
    {
        // Arrange
        using var single = tensor(new[] { 0.2f, 0.9f, 0.6f });
        using var binary = tensor(new[] { 0L, 1, 1 });
        using var multi = Matrix(Normal(3 * 3, seed: 113), 3);
        using var classes = tensor(new[] { 0L, 2, 1 });
        Metric[] refusing = [new Accuracy(), new Recall(2, Average.Binary), new ConfusionMatrix(2), new BinaryCrossEntropy()];

        // Act & Assert
        Assert.Multiple(() =>
        {
            foreach (var metric in refusing)
            {
                Assert.That(() => metric.Compute(single, binary), Throws.InvalidOperationException.With.Message.Contains("Scores = ScoreKind.Logits or ScoreKind.Probabilities"), metric.Name);
            }

            Assert.That(() => new RocAuc(3).Compute(multi, classes), Throws.InvalidOperationException.With.Message.Contains("softmax"));
            Assert.That(new RocAuc().Compute(single, binary), Is.EqualTo(Reference.RocAuc([0.2, 0.9, 0.6], [false, true, true])), "binary ranking needs no kind");
            Assert.That(new Accuracy().Compute(multi, classes), Is.InRange(0.0, 1.0), "argmax needs no kind");
        });
    }

    [Test]
    public void Binary_average_needs_exactly_two_classes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new F1Score(3, Average.Binary), Throws.ArgumentException.With.Message.Contains("got 3 classes"));
            Assert.That(() => new Precision(3, Average.Binary), Throws.ArgumentException);
            Assert.That(() => new Recall(1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(new F1Score(2, Average.Binary).Average, Is.EqualTo(Average.Binary));
        });
    }

    [Test]
    public void Default_names_always_say_the_average_and_a_given_name_is_used_as_it_is()
    {
        // Arrange
        using var output = Matrix(Normal(6 * 3, seed: 114), 3);
        using var target = tensor(new[] { 0L, 1, 2, 0, 1, 2 });
        using var named = new F1Score(3, Average.Micro, name: "f1_all") { PerClass = true };
        Feed(named, output, target, 6);

        // Act
        var names = named.ComputeValues().Select(v => v.Name).ToArray();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(new[] { Average.Macro, Average.Micro, Average.Weighted }.Select(a => new F1Score(3, a).Name), Is.EqualTo(new[] { "f1_macro", "f1_micro", "f1_weighted" }));
            Assert.That(new Precision(2, Average.Binary).Name, Is.EqualTo("precision_binary"));
            Assert.That(new Recall(4).Name, Is.EqualTo("recall_macro"));
            Assert.That(names, Is.EqualTo(new[] { "f1_all", "f1_all_class_0", "f1_all_class_1", "f1_all_class_2" }));
        });
    }

    [Test]
    public void Two_cross_entropies_with_their_own_names_report_side_by_side()
    {
        // Arrange
        random.manual_seed(115);
        using var model = nn.Linear(3, 4);
        using var inputs = randn(10, 3);
        using var targets = randint(0, 4, 10, ScalarType.Int64);
        double[] weights = [1, 2, 3, 4];
        using var torchWeights = tensor(weights.Select(w => (float)w).ToArray());
        using var validator = new Validator(model, new TensorBatches(inputs, targets, 4), metrics: [new CrossEntropy(), new CrossEntropy(weights, name: "weighted_cross_entropy")]);

        // Act
        var values = validator.RunEpoch()!.Metrics;

        // Assert
        using var logits = model.call(inputs);
        using var plain = nn.functional.cross_entropy(logits, targets);
        using var weighted = nn.functional.cross_entropy(logits, targets, torchWeights);
        Assert.Multiple(() =>
        {
            Assert.That(values["cross_entropy"], Is.EqualTo(plain.item<float>()).Within(1e-5));
            Assert.That(values["weighted_cross_entropy"], Is.EqualTo(weighted.item<float>()).Within(1e-5));
            Assert.That(() => new Validator(model, new TensorBatches(inputs, targets, 4), metrics: [new CrossEntropy(), new CrossEntropy(weights)]), Throws.ArgumentException.With.Message.Contains("'cross_entropy'"));
        });
    }

    [Test]
    public void A_running_average_of_a_custom_selector_averages_what_it_selects_not_the_loss()
    {
        // Arrange: the selected value is the batch's mean output; the loss is a constant 100.
        float[] means = [1, 3, -2];
        using var metric = new RunningAverage("running_output", b => b.Output!.mean(), alpha: 0.5, higherIsBetter: true);
        var expected = (0.5 * ((0.5 * 1) + (0.5 * 3))) + (0.5 * -2);

        // Act
        metric.Reset();
        foreach (var mean in means)
        {
            using var scope = NewDisposeScope();
            metric.Update(Batch(full(4, 1, mean), zeros(4, 1), tensor(100f)));
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(metric.Compute(), Is.EqualTo(expected).Within(1e-9));
            Assert.That(metric.Alpha, Is.EqualTo(0.5));
            Assert.That(() => new RunningAverage(alpha: 1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new RunningAverage(alpha: -0.01), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(new RunningAverage(alpha: 0).Alpha, Is.Zero);
        });
    }
}
