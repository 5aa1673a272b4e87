using static TorchSharp.torch;

namespace TinyDl.Tests.Core;

public sealed class DataSplitTests
{
    [Test]
    public void A_stratified_split_keeps_every_class_s_share_and_covers_every_sample_once()
    {
        // Arrange: 3 classes of 600, 300 and 100 samples; hold out 200 (10 %).
        var labels = cat([full(600, 0L), full(300, 1L), full(100, 2L)]);

        // Act
        var (kept, held) = DataSplit.StratifiedIndices(labels, 200, seed: 1);

        // Assert
        var keptIndices = kept.data<long>().ToArray();
        var heldIndices = held.data<long>().ToArray();
        var heldLabels = heldIndices.Select(i => labels[i].item<long>()).GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        Assert.Multiple(() =>
        {
            Assert.That(heldLabels, Is.EqualTo(new Dictionary<long, int> { [0] = 120, [1] = 60, [2] = 20 }));
            Assert.That(keptIndices.Concat(heldIndices).Order(), Is.EqualTo(Enumerable.Range(0, 1000).Select(i => (long)i)));
            Assert.That(keptIndices, Is.Ordered);
            Assert.That(heldIndices, Is.Ordered);
        });
    }

    [Test]
    public void Shares_that_do_not_divide_evenly_still_add_up_to_the_count_asked_for()
    {
        var labels = cat([full(7, 0L), full(7, 1L), full(7, 2L)]);

        var (_, held) = DataSplit.StratifiedIndices(labels, 10, seed: 4);

        var perClass = held.data<long>().ToArray().Select(i => labels[i].item<long>()).GroupBy(l => l).Select(g => g.Count()).Order();
        Assert.Multiple(() =>
        {
            Assert.That(held.shape[0], Is.EqualTo(10));
            Assert.That(perClass, Is.EqualTo(new[] { 3, 3, 4 }), "10 x 7/21 = 3.33 each: one class gets the remainder");
        });
    }

    [Test]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var labels = arange(0, 500, dtype: ScalarType.Int64).remainder(5);

        var first = DataSplit.StratifiedIndices(labels, 50, seed: 7).HeldOut.data<long>().ToArray();
        var again = DataSplit.StratifiedIndices(labels, 50, seed: 7).HeldOut.data<long>().ToArray();
        var other = DataSplit.StratifiedIndices(labels, 50, seed: 8).HeldOut.data<long>().ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(again, Is.EqualTo(first));
            Assert.That(other, Is.Not.EqualTo(first));
        });
    }

    [Test]
    public void Hold_out_copies_samples_and_targets_in_their_order_and_leaves_the_torch_generator_alone()
    {
        // Arrange
        var x = arange(0, 20, dtype: ScalarType.Float32).reshape(10, 2);
        var y = tensor(new long[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 });
        manual_seed(3);
        var expectedNext = rand(1).item<float>();
        manual_seed(3);

        // Act
        var ((keptX, keptY), (heldX, heldY)) = DataSplit.HoldOut(x, y, 4, seed: 2);
        var next = rand(1).item<float>();

        // Assert: every held row is x's row of the same index, labels still match, 2 of each class held.
        Assert.Multiple(() =>
        {
            Assert.That(heldX.shape, Is.EqualTo(new long[] { 4, 2 }));
            Assert.That(keptX.shape, Is.EqualTo(new long[] { 6, 2 }));
            Assert.That(heldX[.., 0].data<float>().ToArray().Select(v => (long)(v / 2) % 2), Is.EqualTo(heldY.data<long>().ToArray()));
            Assert.That(heldY.data<long>().ToArray().Count(l => l == 1), Is.EqualTo(2));
            Assert.That(keptY.data<long>().ToArray().Sum(), Is.EqualTo(3));
            Assert.That(next, Is.EqualTo(expectedNext), "the split does not draw from TorchSharp's generator");
        });
    }

    [Test]
    public void Bad_arguments_are_refused_naming_the_problem()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => DataSplit.StratifiedIndices(zeros(5), 2, 1), Throws.ArgumentException.With.Message.Contains("integer tensor of class labels"));
            Assert.That(() => DataSplit.Indices(5, 6, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("between 0 and the 5 samples"));
            Assert.That(() => DataSplit.HoldOut(zeros(4, 2), zeros(3, ScalarType.Int64), 1, 1), Throws.ArgumentException.With.Message.Contains("differ in number"));
        });
    }
}
