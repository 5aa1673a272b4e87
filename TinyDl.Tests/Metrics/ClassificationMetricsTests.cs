using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class ClassificationMetricsTests
{
    private const int Classes = 5;
    private static readonly int Samples = UnevenSizes.Sum();

    [Test]
    public void Accuracy_counts_correct_argmax_predictions_over_uneven_batches_with_index_or_one_hot_targets()
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 1);
        var labels = Labels(Samples, Classes, seed: 2);
        var predicted = Reference.Predictions(logits, Classes);
        var expected = predicted.Zip(labels).Count(p => p.First == p.Second) / (double)Samples;
        using var output = Matrix(logits, Classes);
        using var indices = tensor(labels);
        using var oneHot = OneHot(labels, Classes);
        using var metric = new Accuracy();

        // Act
        var fromIndices = Run(metric, output, indices, UnevenSizes);
        var fromOneHot = Run(metric, output, oneHot, UnevenSizes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fromIndices, Is.EqualTo(expected).Within(1e-6));
            Assert.That(fromOneHot, Is.EqualTo(expected).Within(1e-6));
        });
    }

    [TestCase(ScoreKind.Logits, 0.5)]
    [TestCase(ScoreKind.Logits, 0.7)]
    [TestCase(ScoreKind.Probabilities, 0.3)]
    public void Binary_accuracy_thresholds_one_score_per_sample(ScoreKind kind, double threshold)
    {
        // Arrange
        var scores = Normal(Samples, seed: 3);
        if (kind == ScoreKind.Probabilities)
        {
            scores = [.. scores.Select(s => 1 / (1 + MathF.Exp(-s)))];
        }

        var labels = Labels(Samples, 2, seed: 4);
        var cut = kind == ScoreKind.Logits ? Math.Log(threshold / (1 - threshold)) : threshold;
        var expected = scores.Zip(labels).Count(p => (p.First > cut ? 1 : 0) == p.Second) / (double)Samples;
        using var output = tensor(scores).reshape(-1, 1);
        using var target = tensor(labels.Select(l => (float)l).ToArray());
        using var metric = new Accuracy { Threshold = threshold, Scores = kind };

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void Top_k_accuracy_counts_targets_among_the_k_highest_scores()
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 5);
        var labels = Labels(Samples, Classes, seed: 6);
        var expected = labels.Select((label, i) => Enumerable.Range(0, Classes).Count(j => logits[(i * Classes) + j] > logits[(i * Classes) + label]) < 3).Count(hit => hit) / (double)Samples;
        using var output = Matrix(logits, Classes);
        using var target = tensor(labels);
        using var metric = new TopKAccuracy(3);

        // Act
        var actual = Run(metric, output, target, UnevenSizes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(metric.Name, Is.EqualTo("top3_accuracy"));
            Assert.That(actual, Is.EqualTo(expected).Within(1e-6));
        });
    }

    [TestCase(Average.Macro)]
    [TestCase(Average.Micro)]
    [TestCase(Average.Weighted)]
    public void Precision_recall_and_f1_match_per_class_counts_over_the_full_arrays(Average average)
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 7);
        var labels = Labels(Samples, Classes, seed: 8);
        var predicted = Reference.Predictions(logits, Classes);
        var perClass = Reference.PerClass(labels, predicted, Classes);
        double Averaged(Func<(double P, double R, double F1, long Support), double> score) => average switch
        {
            Average.Macro => perClass.Average(score),
            Average.Weighted => perClass.Sum(c => c.Support * score(c)) / Samples,
            _ => predicted.Zip(labels).Count(p => p.First == p.Second) / (double)Samples, // micro = accuracy for single-label data
        };
        using var output = Matrix(logits, Classes);
        using var target = tensor(labels);
        using var precision = new Precision(Classes, average);
        using var recall = new Recall(Classes, average);
        using var f1 = new F1Score(Classes, average) { PerClass = true };

        // Act
        var p = Run(precision, output, target, UnevenSizes);
        var r = Run(recall, output, target, UnevenSizes);
        Feed(f1, output, target, UnevenSizes);
        var values = new MetricValues(f1.ComputeValues());

        // Assert
        var suffix = average.ToString().ToLowerInvariant();
        Assert.Multiple(() =>
        {
            Assert.That(p, Is.EqualTo(Averaged(c => c.P)).Within(1e-6));
            Assert.That(r, Is.EqualTo(Averaged(c => c.R)).Within(1e-6));
            Assert.That(values[$"f1_{suffix}"], Is.EqualTo(Averaged(c => c.F1)).Within(1e-6));
            for (var k = 0; k < Classes; k++)
            {
                Assert.That(values[$"f1_{suffix}_class_{k}"], Is.EqualTo(perClass[k].F1).Within(1e-6));
            }
        });
    }

    [Test]
    public void Precision_recall_and_f1_match_scikit_learn_documentation_values()
    {
        // Arrange: the example of sklearn.metrics.f1_score, y_true = [0, 1, 2, 0, 1, 2], y_pred = [0, 2, 1, 0, 0, 1].
        using var output = OneHot([0, 2, 1, 0, 0, 1], 3);
        using var target = tensor(new long[] { 0, 1, 2, 0, 1, 2 });
        using var f1Macro = new F1Score(3);
        using var f1Micro = new F1Score(3, Average.Micro);
        using var f1Weighted = new F1Score(3, Average.Weighted);
        using var precisionMacro = new Precision(3);
        using var recallMacro = new Recall(3);

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(f1Macro, output, target, 4, 1, 1), Is.EqualTo(0.26666666).Within(1e-6));
            Assert.That(Run(f1Micro, output, target, 4, 1, 1), Is.EqualTo(0.33333333).Within(1e-6));
            Assert.That(Run(f1Weighted, output, target, 4, 1, 1), Is.EqualTo(0.26666666).Within(1e-6));
            Assert.That(Run(precisionMacro, output, target, 4, 1, 1), Is.EqualTo(0.22222222).Within(1e-6));
            Assert.That(Run(recallMacro, output, target, 4, 1, 1), Is.EqualTo(0.33333333).Within(1e-6));
        });
    }

    [Test]
    public void Binary_f1_scores_the_positive_class_of_a_single_logit()
    {
        // Arrange
        var scores = Normal(Samples, seed: 9);
        var labels = Labels(Samples, 2, seed: 10);
        var predicted = scores.Select(s => s > 0 ? 1L : 0L).ToArray();
        var expected = Reference.PerClass(labels, predicted, 2)[1];
        using var output = tensor(scores);
        using var target = tensor(labels);
        using var f1 = new F1Score(2, Average.Binary) { Scores = ScoreKind.Logits };
        using var precision = new Precision(2, Average.Binary) { Scores = ScoreKind.Logits };

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(f1.Name, Is.EqualTo("f1_binary"));
            Assert.That(Run(f1, output, target, UnevenSizes), Is.EqualTo(expected.F1).Within(1e-6));
            Assert.That(Run(precision, output, target, UnevenSizes), Is.EqualTo(expected.P).Within(1e-6));
        });
    }

    [Test]
    public void Top_1_accuracy_with_tied_scores_equals_accuracy_and_ties_go_to_the_lower_class()
    {
        // Arrange: scores on a coarse grid, so many rows have ties for the highest and for the k-th score.
        var logits = Normal(Samples * Classes, seed: 121).Select(v => MathF.Round(v)).ToArray();
        var labels = Labels(Samples, Classes, seed: 122);
        double TopK(int k) => labels.Select((label, i) =>
        {
            var own = logits[(i * Classes) + label];
            var rank = Enumerable.Range(0, Classes).Count(j => logits[(i * Classes) + j] > own || (logits[(i * Classes) + j] == own && j < label));
            return rank < k;
        }).Count(hit => hit) / (double)Samples;
        using var output = Matrix(logits, Classes);
        using var target = tensor(labels);
        using var accuracy = new Accuracy();
        using var top1 = new TopKAccuracy(1);
        using var top2 = new TopKAccuracy(2);
        using var topAll = new TopKAccuracy(Classes);

        // Act
        var accuracyValue = Run(accuracy, output, target, UnevenSizes);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(top1, output, target, UnevenSizes), Is.EqualTo(accuracyValue).Within(1e-12));
            Assert.That(accuracyValue, Is.EqualTo(TopK(1)).Within(1e-12));
            Assert.That(Run(top2, output, target, UnevenSizes), Is.EqualTo(TopK(2)).Within(1e-12));
            Assert.That(Run(topAll, output, target, UnevenSizes), Is.EqualTo(1.0), "k equal to the number of classes");
            Assert.That(() => new TopKAccuracy(Classes + 1).Compute(output, target), Throws.ArgumentException.With.Message.Contains($"at least {Classes + 1} classes"));
        });
    }

    [Test]
    public void The_confusion_matrix_reaches_the_epoch_event_without_keeping_the_metric()
    {
        // Arrange
        random.manual_seed(123);
        using var model = nn.Linear(4, 3);
        using var inputs = randn(Samples, 4);
        using var targets = randint(0, 3, Samples, ScalarType.Int64);
        using var validator = new Validator(model, new TensorBatches(inputs, targets, 10), metrics: [new Accuracy(), new ConfusionMatrix(3)]);
        using var logits = model.call(inputs);
        var expected = Reference.Confusion(targets.data<long>().ToArray(), Reference.Predictions(logits.data<float>().ToArray(), 3), 3);

        // Act
        var completed = validator.RunEpoch()!;

        // Assert
        var matrix = completed.Matrices["confusion_matrix"];
        Assert.Multiple(() =>
        {
            Assert.That(completed.Metrics.Names, Is.EqualTo(new[] { "accuracy" }));
            Assert.That((matrix.Rows, matrix.Columns), Is.EqualTo((3, 3)));
            Assert.That(matrix.ToArray(), Is.EqualTo(expected));
            Assert.That(matrix[2, 1], Is.EqualTo(expected[2, 1]));
        });
    }
}
