using TinyDl.Tests.Checkpoints;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Steps;

public sealed class NamedTensorBatchesTests : TemporaryDirectoryTests
{
    [Test]
    public void Named_batches_follow_the_same_seeded_orders_as_tensor_batches()
    {
        // Arrange
        var (x, y) = Synthetic.Classification(23);
        var pairs = new TensorBatches(x, y, 5, shuffle: true, seed: 4);
        var named = new NamedTensorBatches(new Dictionary<string, Tensor> { ["x"] = x, ["labels"] = y }, 5, shuffle: true, seed: 4);

        // Act: two enumerations of each.
        var expected = pairs.Concat(pairs).Select(b => (X: b.Input.data<float>().ToArray(), Y: b.Target.data<long>().ToArray())).ToList();
        var actual = named.Concat(named).Select(b => (X: b["x"].data<float>().ToArray(), Y: b["labels"].data<long>().ToArray())).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(actual.Select(b => b.X), Is.EqualTo(expected.Select(b => b.X)));
            Assert.That(actual.Select(b => b.Y), Is.EqualTo(expected.Select(b => b.Y)));
            Assert.That(named, Has.Count.EqualTo(5));
            Assert.That(named.Enumerations, Is.EqualTo(2));
            Assert.That(actual[0].X, Is.Not.EqualTo(actual[5].X), "each enumeration has its own order");
        });
    }

    [Test]
    public void Tensors_that_cannot_make_batches_are_refused_with_their_names()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new NamedTensorBatches(new Dictionary<string, Tensor> { ["x"] = ones(4, 2), ["mask"] = ones(3, 2) }, 2),
                Throws.ArgumentException.With.Message.Contains("'mask' has 3 samples but 'x' has 4"));
            Assert.That(() => new NamedTensorBatches(new Dictionary<string, Tensor> { ["x"] = ones(4, 2), ["scale"] = tensor(2f) }, 2),
                Throws.ArgumentException.With.Message.Contains("'scale' is a scalar"));
            Assert.That(() => new NamedTensorBatches(new Dictionary<string, Tensor>(), 2), Throws.ArgumentException.With.Message.Contains("no tensors"));
            Assert.That(() => new NamedTensorBatches(new Dictionary<string, Tensor> { ["x"] = ones(4, 2) }, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void A_resumed_run_over_named_batches_sees_the_same_batches_and_ends_like_an_uninterrupted_one()
    {
        // Arrange
        var (reference, referenceModel) = Create(null);
        reference.Run(4);
        var checkpoints = new Checkpointer(Path.Combine(TestDirectory, "checkpoints")) { Monitor = null };
        Create(checkpoints).Runner.Run(2);
        var (resumed, resumedModel) = Create(checkpoints);

        // Act
        resumed.Run(4, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.That(CheckpointRuns.Weights(resumedModel), Is.EqualTo(CheckpointRuns.Weights(referenceModel)));
    }

    private static (Runner Runner, nn.Module Model) Create(Checkpointer? checkpoints)
    {
        manual_seed(8);
        var (x, y) = Synthetic.Classification(60, 8);
        var model = nn.Linear(4, 3);
        var data = new NamedTensorBatches(new Dictionary<string, Tensor> { ["input"] = x, ["labels"] = y }, 8, shuffle: true, seed: 8);
        var trainer = new Trainer(model, data, optim.SGD(model.parameters(), 0.2), step: batch =>
            new StepOutput(nn.functional.cross_entropy(batch.Forward(model), batch["labels"])));
        var runner = new Runner(trainer);
        checkpoints?.AttachTo(runner);
        return (runner, model);
    }
}
