using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class ConfusionMatrixTests
{
    private const int Classes = 5;
    private static readonly int Samples = UnevenSizes.Sum();

    [Test]
    public void Confusion_matrix_counts_true_rows_against_predicted_columns()
    {
        // Arrange
        var logits = Normal(Samples * Classes, seed: 11);
        var labels = Labels(Samples, Classes, seed: 12);
        var predicted = Reference.Predictions(logits, Classes);
        var expected = Reference.Confusion(labels, predicted, Classes);
        using var output = Matrix(logits, Classes);
        using var target = tensor(labels);
        using var metric = new ConfusionMatrix(Classes) { ReportCells = true };

        // Act
        Feed(metric, output, target, UnevenSizes);
        var matrix = metric.ComputeMatrix();
        var cells = new MetricValues(metric.ComputeValues());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(matrix, Is.EqualTo(expected));
            Assert.That(metric.Compute(), Is.EqualTo(predicted.Zip(labels).Count(p => p.First == p.Second) / (double)Samples).Within(1e-6));
            Assert.That(cells["confusion_matrix_2_3"], Is.EqualTo(expected[2, 3]));
        });
    }

    [Test]
    public void A_class_index_outside_the_classes_is_reported_when_computed()
    {
        // Arrange
        using var output = Matrix(Normal(4 * 3, seed: 13), 3);
        using var target = tensor(new long[] { 0, 1, 7, 2 });
        using var metric = new F1Score(3);
        Feed(metric, output, target, 4);

        // Act & Assert
        Assert.That(() => metric.Compute(), Throws.InvalidOperationException.With.Message.Contains("f1_macro").And.Message.Contains("outside [0, 3)"));
    }
}
