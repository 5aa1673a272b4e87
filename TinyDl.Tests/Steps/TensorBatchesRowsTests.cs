using static TorchSharp.torch;

namespace TinyDl.Tests.Steps;

/// <summary>Batches over some rows of in-memory tensors, in place, against batches over a copy of those rows.</summary>
public sealed class TensorBatchesRowsTests
{
    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(true, true)]
    public void Batches_over_rows_equal_batches_over_a_copy_of_those_rows_in_every_epoch(bool shuffle, bool dropLast)
    {
        // Arrange: 23 samples, 17 of them kept in a scrambled order, batches of 5 (the last one short).
        using var inputs = arange(23 * 3, dtype: float32).reshape(23, 3);
        using var targets = arange(23, dtype: int64) * 10;
        using var rows = tensor(new long[] { 4, 0, 22, 7, 9, 1, 15, 3, 18, 11, 6, 20, 2, 13, 8, 17, 5 });
        using var keptInputs = inputs.index_select(0, rows);
        using var keptTargets = targets.index_select(0, rows);
        var inPlace = new TensorBatches(inputs, targets, rows, 5, shuffle, seed: 7, dropLast);
        var copied = new TensorBatches(keptInputs, keptTargets, 5, shuffle, seed: 7, dropLast);

        // Act and assert: three epochs, batch by batch
        Assert.Multiple(() =>
        {
            Assert.That(inPlace.Count, Is.EqualTo(copied.Count).And.EqualTo(dropLast ? 3 : 4));
            Assert.That(inPlace.Samples, Is.EqualTo(copied.Samples));
            for (var epoch = 0; epoch < 3; epoch++)
            {
                var seen = new List<long>();
                foreach (var ((x, y), (cx, cy)) in inPlace.Zip(copied))
                {
                    using (x)
                    using (y)
                    using (cx)
                    using (cy)
                    {
                        Assert.That(x.data<float>().ToArray(), Is.EqualTo(cx.data<float>().ToArray()), $"epoch {epoch}");
                        Assert.That(y.data<long>().ToArray(), Is.EqualTo(cy.data<long>().ToArray()), $"epoch {epoch}");
                        seen.AddRange(y.data<long>().ToArray().Select(t => t / 10));
                    }
                }

                // Only kept rows appear, each once.
                Assert.That(seen, Is.Unique.And.SubsetOf(rows.data<long>().ToArray()));
                Assert.That(seen, Has.Count.EqualTo(dropLast ? 15 : 17));
            }
        });
    }

    [Test]
    public void Rows_that_are_not_indices_of_the_inputs_are_refused_by_name()
    {
        // Arrange
        using var inputs = zeros(6, 2);
        using var targets = zeros(6, dtype: int64);
        using var outside = tensor(new long[] { 0, 6 });
        using var negative = tensor(new long[] { -1, 2 });
        using var floats = tensor(new float[] { 0, 1 });
        using var matrix = zeros(new long[] { 2, 2 }, dtype: int64);
        using var empty = zeros(0, dtype: int64);

        // Act and assert
        Assert.Multiple(() =>
        {
            Assert.That(() => new TensorBatches(inputs, targets, outside, 2), Throws.ArgumentException.With.Message.Contains("Rows index samples 0 to 6, but the inputs have 6").And.Property("ParamName").EqualTo("rows"));
            Assert.That(() => new TensorBatches(inputs, targets, negative, 2), Throws.ArgumentException.With.Message.Contains("-1 to 2"));
            Assert.That(() => new TensorBatches(inputs, targets, floats, 2), Throws.ArgumentException.With.Message.Contains("1-D int64").And.Message.Contains("Float32"));
            Assert.That(() => new TensorBatches(inputs, targets, matrix, 2), Throws.ArgumentException.With.Message.Contains("[2, 2]"));
            Assert.That(() => new TensorBatches(inputs, targets, empty, 2), Throws.ArgumentException.With.Message.Contains("non-empty"));
            Assert.That(() => new TensorBatches(inputs, targets, null!, 2), Throws.ArgumentNullException);
        });
    }
}
