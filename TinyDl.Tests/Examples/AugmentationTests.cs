using FashionMnist;
using static TorchSharp.torch;

namespace TinyDl.Tests.Examples;

public sealed class AugmentationTests
{
    [Test]
    public void Each_image_is_shifted_by_at_most_two_whole_pixels_and_sometimes_mirrored()
    {
        // Arrange: 400 images, each black with one white pixel at (row 10, column 7).
        manual_seed(5);
        var images = zeros(400, 784);
        images[.., (10 * 28) + 7] = tensor(1f);

        // Act
        var augmented = Augmentation.Apply(images);

        // Assert: one white pixel per image, within 2 rows and 2 columns of (10, 7) or of its mirror (10, 20).
        var pixels = augmented.reshape(400, 28, 28);
        var positions = Enumerable.Range(0, 400).Select(i =>
        {
            var index = pixels[i].flatten().argmax().item<long>();
            return ((int)(index / 28), (int)(index % 28), pixels[i].sum().item<float>());
        }).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(positions.Select(p => p.Item3), Is.All.EqualTo(1f), "nearest sampling keeps the pixel whole");
            Assert.That(positions.Select(p => Math.Abs(p.Item1 - 10)), Is.All.LessThanOrEqualTo(2));
            Assert.That(positions.Select(p => Math.Min(Math.Abs(p.Item2 - 7), Math.Abs(p.Item2 - 20))), Is.All.LessThanOrEqualTo(2));
            Assert.That(positions.Count(p => p.Item2 >= 18), Is.InRange(150, 250), "about half mirrored");
            Assert.That(positions.Select(p => (p.Item1, p.Item2)).Distinct().Count(), Is.GreaterThanOrEqualTo(40), "5 x 5 shifts x 2 mirrors");
        });
    }
}
