using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Controls;

public sealed class GradientTests
{
    [Test]
    public void Accumulating_four_batches_of_eight_trains_like_one_batch_of_thirty_two()
    {
        // Arrange: the same model, data and SGD; 64 samples in order.
        var (x, y) = Synthetic.Classification(64);
        float[] Train(int batchSize, int accumulation)
        {
            manual_seed(1);
            var model = nn.Linear(4, 3);
            using var trainer = new Trainer(model, new TensorBatches(x, y, batchSize), optim.SGD(model.parameters(), 0.5), nn.CrossEntropyLoss()) { AccumulationSteps = accumulation };
            trainer.RunEpoch(1);
            trainer.RunEpoch(2);
            return [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];
        }

        // Act
        var accumulated = Train(8, 4);
        var large = Train(32, 1);
        var small = Train(8, 1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(accumulated, Is.EqualTo(large).Within(1e-5));
            Assert.That(small, Is.Not.EqualTo(large).Within(1e-5), "the test can tell the difference");
        });
    }

    [Test]
    public void Clipping_the_gradient_norm_bounds_every_update()
    {
        // Arrange: SGD with lr 1 moves the weights by exactly the (clipped) gradient.
        var (x, y) = Synthetic.Classification(32);
        double LargestUpdate(double? clip)
        {
            manual_seed(1);
            var model = nn.Linear(4, 3);
            using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 1.0), nn.CrossEntropyLoss()) { ClipGradientNorm = clip };
            var before = Weights(model);
            var largest = 0.0;
            trainer.BatchCompleted.Subscribe(_ =>
            {
                var after = Weights(model);
                largest = Math.Max(largest, Math.Sqrt(after.Zip(before, (a, b) => (a - b) * (a - b)).Sum()));
                before = after;
            });
            trainer.RunEpoch(1);
            return largest;
        }

        // Act
        var clipped = LargestUpdate(0.05);
        var free = LargestUpdate(null);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(clipped, Is.LessThanOrEqualTo(0.05 + 1e-6));
            Assert.That(free, Is.GreaterThan(0.1), "without clipping the updates are larger");
        });
    }

    [Test]
    public void Clipping_gradient_values_bounds_every_element()
    {
        var (x, y) = Synthetic.Classification(32);
        manual_seed(1);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 1.0), nn.CrossEntropyLoss()) { ClipGradientValue = 0.01 };
        var before = Weights(model);

        trainer.RunEpoch(1);

        var largest = Weights(model).Zip(before, (a, b) => Math.Abs(a - b)).Max();
        Assert.That(largest, Is.LessThanOrEqualTo((4 * 0.01) + 1e-6), "4 steps of at most 0.01 per element");
    }

    private static double[] Weights(nn.Module model) =>
        [.. model.parameters().SelectMany(p => p.data<float>().ToArray()).Select(v => (double)v)];
}
