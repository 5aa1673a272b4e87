using TinyDl.Metrics;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Core;

public sealed class DataLoaderExtensionsTests
{
    [Test]
    public void A_loader_over_a_dictionary_dataset_gives_the_tensors_named_by_the_keys()
    {
        // Arrange: 23 samples in batches of 5, named "features" and "classes".
        var (x, y) = Synthetic.Classification(23);
        using var dataset = new NamedDataset(x, y);
        using var loader = utils.data.DataLoader(dataset, 5, shuffle: false);
        var model = nn.Linear(4, 3);
        using var accuracy = new Accuracy();
        using var logits = model.call(x);
        var expected = accuracy.Compute(logits, y);

        // Act
        var batches = loader.AsBatches(inputKey: "features", targetKey: "classes");
        using var validator = new Validator(model, batches, metrics: [new Accuracy()]);
        var completed = validator.RunEpoch()!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(batches, Has.Count.EqualTo(5));
            Assert.That(completed.Samples, Is.EqualTo(23));
            Assert.That(completed.Metrics["accuracy"], Is.EqualTo(expected).Within(1e-12));
        });
    }

    [Test]
    public void A_key_the_batches_lack_is_named_with_those_they_have()
    {
        // Arrange
        var (x, y) = Synthetic.Classification(6);
        using var dataset = new NamedDataset(x, y);
        using var loader = utils.data.DataLoader(dataset, 3, shuffle: false);

        // Act & Assert
        Assert.That(
            () => loader.AsBatches().ToList(),
            Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("no tensor named 'data'").And.Message.Contains("features, classes"));
    }

    private sealed class NamedDataset(Tensor features, Tensor classes) : utils.data.Dataset
    {
        public override long Count => features.size(0);

        public override Dictionary<string, Tensor> GetTensor(long index) =>
            new() { ["features"] = features[index], ["classes"] = classes[index] };
    }
}
