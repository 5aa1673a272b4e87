using System.Collections;
using TinyDl.Metrics;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Core;

/// <summary>Runner.Test: the held-out test set is seen once, after the last epoch, with the weights the run chose.</summary>
public sealed class TestStageTests : TemporaryDirectoryTests
{
    [Test]
    public void The_test_data_is_never_read_before_the_last_epoch_ended_and_then_once()
    {
        // Arrange: count every batch each split's data produces, and when.
        var (x, y) = Synthetic.Classification(48, seed: 5);
        var (vx, vy) = Synthetic.Classification(24, seed: 6);
        var (tx, ty) = Synthetic.Classification(30, seed: 7);
        var log = new List<string>();
        var model = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();
        using var trainer = new Trainer(model, new Counted("train", new TensorBatches(x, y, 16), log), optim.SGD(model.parameters(), 0.1), loss, [new Loss()]);
        using var validator = new Validator(model, new Counted("validation", new TensorBatches(vx, vy, 12), log), loss, [new Loss(), new Accuracy()]);
        using var test = new Validator(model, new Counted("test", new TensorBatches(tx, ty, 10), log), loss, [new Loss(), new Accuracy()], Stage.Test);
        using var runner = new Runner(trainer, validator) { Test = test };
        runner.EpochEnded.Subscribe(e => log.Add($"epoch {e.Epoch} ended"));

        // Act
        var result = runner.Run(3);

        // Assert
        var firstTest = log.IndexOf("test");
        Assert.Multiple(() =>
        {
            Assert.That(log.Count(l => l == "train"), Is.EqualTo(9));
            Assert.That(log.Count(l => l == "validation"), Is.EqualTo(6));
            Assert.That(log.Count(l => l == "test"), Is.EqualTo(3), "one pass over 30 test samples in batches of 10");
            Assert.That(firstTest, Is.GreaterThan(log.IndexOf("epoch 3 ended")), "no test batch before the last epoch ended");
            Assert.That(result.Final[Stage.Test].Names, Is.EqualTo(new[] { "loss", "accuracy" }));
            Assert.That(result.Final[Stage.Test]["accuracy"], Is.Not.EqualTo(result.Final[Stage.Validation]["accuracy"]).Or.Not.EqualTo(result.Final[Stage.Validation]["loss"]));
        });
    }

    [Test]
    public void The_test_set_is_evaluated_with_the_best_weights_when_the_checkpointer_restores_them()
    {
        // Arrange
        var (runner, model) = Synthetic.Run(trainSamples: 80, seed: 9);
        var (tx, ty) = Synthetic.Classification(40, seed: 10);
        var checkpoints = new Checkpointer(TestDirectory) { RestoreBestWeights = true };
        using var test = new Validator(model, new TensorBatches(tx, ty, 40), nn.CrossEntropyLoss(), [new Loss()], Stage.Test);
        using var withTest = new Runner(runner.Trainer, runner.Validator) { Test = test };
        checkpoints.AttachTo(withTest);

        // Act
        var result = withTest.Run(4);

        // Assert: the same loss as the best checkpoint's weights give, computed here without TinyDl.
        var best = nn.Linear(4, 3);
        Checkpoint.Read(checkpoints.BestPath).LoadModel(best);
        float expected;
        using (no_grad())
        {
            expected = nn.functional.cross_entropy(best.call(tx), ty).item<float>();
        }

        Assert.Multiple(() =>
        {
            Assert.That(checkpoints.RestoredEpoch, Is.Not.Null);
            Assert.That(result.Final[Stage.Test]["loss"], Is.EqualTo(expected).Within(1e-6));
        });
    }

    [Test]
    public void A_test_validator_must_report_as_the_test_stage()
    {
        var (runner, model) = Synthetic.Run();
        var (tx, ty) = Synthetic.Classification(10);
        using var validation = new Validator(model, new TensorBatches(tx, ty, 5));

        Assert.That(() => new Runner(runner.Trainer) { Test = validation }, Throws.ArgumentException.With.Message.Contains("Stage.Test"));
    }

    /// <summary>Data that logs its name for every batch it produces.</summary>
    private sealed class Counted(string name, IEnumerable<(Tensor, Tensor)> data, List<string> log) : IEnumerable<(Tensor, Tensor)>
    {
        public IEnumerator<(Tensor, Tensor)> GetEnumerator()
        {
            foreach (var batch in data)
            {
                log.Add(name);
                yield return batch;
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
