using TinyDl.Metrics;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

/// <summary>
/// Accuracy buffers the usual batches (scores [N, C], class indices [N]) on the device and reduces them
/// once per epoch; these check that batches of other kinds in between, NaN scores and invalid targets
/// come out exactly as counted here in plain C#, in the epoch's order.
/// </summary>
public sealed class AccuracyBufferTests
{
    private const int Classes = 4;

    [Test]
    public void Index_batches_between_one_hot_batches_give_the_fraction_counted_sample_by_sample()
    {
        // Arrange: 40 samples in batches of 10 (indices), 10 (one-hot rows), 15 (indices), 5 (one-hot rows).
        var labels = Labels(40, Classes, seed: 31);
        var scores = Normal(40 * Classes, seed: 32);
        using var output = Matrix(scores, Classes);
        using var indices = tensor(labels);
        using var oneHot = nn.functional.one_hot(indices, Classes);
        var expected = Enumerable.Range(0, 40).Count(i => ArgMax(scores, i) == labels[i]) / 40.0;
        using var metric = new Accuracy();
        metric.Reset();

        // Act
        var start = 0;
        foreach (var (size, rows) in new[] { (10, false), (10, true), (15, false), (5, true) })
        {
            using var scope = NewDisposeScope();
            metric.Update(Batch(output.narrow(0, start, size), (rows ? oneHot : indices).narrow(0, start, size)));
            start += size;
        }

        var actual = metric.Compute();

        // Assert
        Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void An_invalid_index_after_a_one_hot_batch_is_named_by_its_position_in_the_epoch()
    {
        // Arrange: sample 27 (in the third batch, indices after a one-hot batch) holds class 7.
        var labels = Labels(30, Classes, seed: 33);
        using var output = Matrix(Normal(30 * Classes, seed: 34), Classes);
        using var indices = tensor(labels);
        using var oneHot = nn.functional.one_hot(indices, Classes);
        var wrong = (long[])labels.Clone();
        wrong[27] = 7;
        using var wrongIndices = tensor(wrong);
        using var metric = new Accuracy();
        metric.Reset();
        using (NewDisposeScope())
        {
            metric.Update(Batch(output.narrow(0, 0, 10), indices.narrow(0, 0, 10)));
            metric.Update(Batch(output.narrow(0, 10, 10), oneHot.narrow(0, 10, 10)));
            metric.Update(Batch(output.narrow(0, 20, 10), wrongIndices.narrow(0, 20, 10)));
        }

        // Act & Assert
        Assert.That(() => metric.Compute(), Throws.InvalidOperationException
            .With.Message.Contains("saw 1 sample(s) with a class index outside [0, 4) or a target row")
            .And.Message.Contains("the first is sample 27 of the epoch"));
    }

    [Test]
    public void Nan_scores_are_counted_over_the_epoch_and_the_next_epoch_starts_afresh()
    {
        // Arrange: float64 scores, samples 3 and 18 hold a NaN; batches of 8, 8, 4.
        var labels = Labels(20, Classes, seed: 35);
        var scores = Normal(20 * Classes, seed: 36).Select(v => (double)v).ToArray();
        scores[(3 * Classes) + 1] = double.NaN;
        scores[18 * Classes] = double.NaN;
        using var output = tensor(scores, [20, Classes]);
        using var target = tensor(labels).to_type(ScalarType.Int32);
        using var metric = new Accuracy();
        Feed(metric, output, target, 8, 8, 4);

        // Act
        var first = Assert.Throws<UndefinedMetricException>(() => metric.Compute());
        using var clean = output.nan_to_num(0);
        var second = Run(metric, clean, target, 8, 8, 4);

        // Assert
        var expected = Enumerable.Range(0, 20).Count(i => ArgMax(scores.Select(v => double.IsNaN(v) ? 0 : v).ToArray(), i) == labels[i]) / 20.0;
        Assert.Multiple(() =>
        {
            Assert.That(first!.Reason, Is.EqualTo("2 sample(s) have a NaN score this epoch"));
            Assert.That(second, Is.EqualTo(expected).Within(1e-12));
        });
    }

    [Test]
    public void Epochs_longer_than_the_first_grow_the_buffer_without_losing_samples()
    {
        // Arrange: a short epoch, then one of 3,000 samples in batches of 64 (past the first capacity).
        var labels = Labels(3000, Classes, seed: 37);
        var scores = Normal(3000 * Classes, seed: 38);
        using var output = Matrix(scores, Classes);
        using var target = tensor(labels);
        using var metric = new Accuracy();
        Run(metric, output.narrow(0, 0, 10), target.narrow(0, 0, 10), 10);

        // Act
        var actual = Run(metric, output, target, Sizes(3000, 64));

        // Assert
        Assert.That(actual, Is.EqualTo(Enumerable.Range(0, 3000).Count(i => ArgMax(scores, i) == labels[i]) / 3000.0).Within(1e-12));
    }

    [Test]
    public void An_epoch_of_more_scores_than_the_buffer_holds_is_counted_exactly_across_its_flushes()
    {
        // Arrange: 1,000 classes, 3,000 samples in batches of 64: 3 million scores, flushed about every
        // 1,000 samples (the buffer holds 2^20). Sample 2,500 holds class 1,000 (invalid), sample 2,900
        // class -1, and sample 1,500 a NaN score.
        const int classes = 1000;
        var labels = Labels(3000, classes, seed: 39);
        var scores = Normal(3000 * classes, seed: 40);
        using var output = tensor(scores, [3000, classes]);
        using var target = tensor(labels);
        var expected = Enumerable.Range(0, 3000).Count(i => ArgMax(scores, i, classes) == labels[i]) / 3000.0;
        var wrong = (long[])labels.Clone();
        wrong[2500] = classes;
        wrong[2900] = -1;
        using var wrongTarget = tensor(wrong);
        var nan = (float[])scores.Clone();
        nan[(1500 * classes) + 7] = float.NaN;
        using var nanOutput = tensor(nan, [3000, classes]);
        using var metric = new Accuracy();

        // Act
        var actual = Run(metric, output, target, Sizes(3000, 64));
        Feed(metric, output, wrongTarget, Sizes(3000, 64));
        var invalid = Assert.Throws<InvalidOperationException>(() => metric.Compute());
        Feed(metric, nanOutput, target, Sizes(3000, 64));
        var undefined = Assert.Throws<UndefinedMetricException>(() => metric.Compute());

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(actual, Is.EqualTo(expected).Within(1e-12));
            Assert.That(invalid!.Message, Does.Contain("saw 2 sample(s) with a class index outside [0, 1000)").And.Contain("the first is sample 2500 of the epoch"));
            Assert.That(undefined!.Reason, Is.EqualTo("1 sample(s) have a NaN score this epoch"));
        });
    }

    private static int ArgMax<T>(T[] scores, int row, int classes = Classes)
        where T : IComparable<T>
    {
        var best = 0;
        for (var c = 1; c < classes; c++)
        {
            if (scores[(row * classes) + c].CompareTo(scores[(row * classes) + best]) > 0)
            {
                best = c;
            }
        }

        return best;
    }
}
