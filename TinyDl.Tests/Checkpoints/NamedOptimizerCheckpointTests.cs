using System.Buffers.Binary;
using System.Security.Cryptography;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Checkpoints;

public sealed class NamedOptimizerCheckpointTests : TemporaryDirectoryTests
{
    [Test]
    public void Every_named_optimizer_is_checkpointed_and_a_resumed_run_ends_exactly_like_an_uninterrupted_one()
    {
        // Arrange: Adam and SGD with momentum, whose states both matter for the weights after resume.
        var (reference, referenceModel) = Create(null, ["first", "second"]);
        var expected = reference.Run(4);
        var checkpoints = new Checkpointer(Path.Combine(TestDirectory, "checkpoints")) { Monitor = null };
        var (interrupted, _) = Create(checkpoints, ["first", "second"]);
        interrupted.Run(2);
        var (resumed, resumedModel) = Create(checkpoints, ["first", "second"]);

        // Act
        var actual = resumed.Run(4, CheckpointRuns.Resume(checkpoints));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(CheckpointRuns.Weights(resumedModel), Is.EqualTo(CheckpointRuns.Weights(referenceModel)));
            Assert.That(actual.Final[Stage.Train], Is.EqualTo(expected.Final[Stage.Train]));
            Assert.That(Checkpoint.Read(checkpoints.LastPath).OptimizerNames, Is.EqualTo(new[] { "first", "second" }));
        });
    }

    [Test]
    public void Resuming_with_other_optimizer_names_is_refused_naming_both_sets()
    {
        var checkpoints = new Checkpointer(Path.Combine(TestDirectory, "checkpoints")) { Monitor = null };
        Create(checkpoints, ["first", "second"]).Runner.Run(1);
        var (renamed, _) = Create(checkpoints, ["generator", "discriminator"]);

        Assert.That(() => renamed.Run(2, CheckpointRuns.Resume(checkpoints)), Throws.TypeOf<CheckpointException>()
            .With.Message.Contains("(first, second)").And.Message.Contains("(generator, discriminator)"));
    }

    [Test]
    public void Loading_the_only_optimizer_of_a_checkpoint_with_several_asks_for_a_name()
    {
        var checkpoints = new Checkpointer(Path.Combine(TestDirectory, "checkpoints")) { Monitor = null };
        var (runner, _) = Create(checkpoints, ["first", "second"]);
        runner.Run(1);
        var checkpoint = Checkpoint.Read(checkpoints.LastPath);
        var model = nn.Linear(4, 8);

        Assert.Multiple(() =>
        {
            Assert.That(() => checkpoint.LoadOptimizer(optim.Adam(model.parameters())), Throws.TypeOf<CheckpointException>().With.Message.Contains("2 optimizers (first, second)"));
            Assert.That(() => checkpoint.LoadOptimizer("third", optim.Adam(model.parameters())), Throws.TypeOf<CheckpointException>().With.Message.Contains("no optimizer named 'third'"));
        });
    }

    [Test]
    public void A_checkpoint_of_format_version_1_still_loads_as_one_optimizer()
    {
        // Arrange: a file with one optimizer and no participant state has the version 1 layout (model,
        // optimizer, random state); mark it version 1.
        var checkpoints = Checkpointer.InRunDirectory(TestDirectory);
        var (runner, model) = CheckpointRuns.Create(checkpoints);
        runner.Run(1);
        var bytes = File.ReadAllBytes(checkpoints.LastPath);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 1);
        SHA256.HashData(bytes.AsSpan(0, bytes.Length - 32)).CopyTo(bytes.AsSpan(bytes.Length - 32));
        var old = Path.Combine(TestDirectory, "old.ckpt");
        File.WriteAllBytes(old, bytes);

        // Act
        var checkpoint = Checkpoint.Read(old);

        var fromOld = optim.Adam(model.parameters(), 0.5);
        checkpoint.LoadOptimizer(fromOld);
        var fromCurrent = optim.Adam(model.parameters(), 0.5);
        Checkpoint.Read(checkpoints.LastPath).LoadOptimizer(fromCurrent);

        // Assert: the same learning rate, moments and step counts as from the current file.
        Assert.Multiple(() =>
        {
            Assert.That(checkpoint.OptimizerNames, Is.EqualTo(new[] { Optimizers.DefaultName }));
            Assert.That(fromOld.ParamGroups.First().LearningRate, Is.EqualTo(0.01));
            Assert.That(StateBytes(fromOld), Is.EqualTo(StateBytes(fromCurrent)));
        });
    }

    private static byte[] StateBytes(optim.Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(writer);
        }

        return stream.ToArray();
    }

    private (Runner Runner, nn.Module Model) Create(Checkpointer? checkpoints, string[] names)
    {
        manual_seed(21);
        var (x, y) = Synthetic.Classification(64, 21);
        var first = nn.Linear(4, 8);
        var second = nn.Linear(8, 3);
        var model = nn.Sequential(("first", first), ("relu", nn.ReLU()), ("second", second));
        var optimizers = new Optimizers
        {
            [names[0]] = optim.Adam(first.parameters(), 0.01),
            [names[1]] = optim.SGD(second.parameters(), 0.05, momentum: 0.9),
        };
        var trainer = new Trainer(model, new TensorBatches(x, y, 16, shuffle: true, seed: 21), optimizers, step: batch =>
            new StepOutput(nn.functional.cross_entropy(model.call(batch.Input), batch.Target)), [new TinyDl.Metrics.Loss()]);
        var runner = new Runner(trainer);
        checkpoints?.AttachTo(runner);
        return (runner, model);
    }
}
