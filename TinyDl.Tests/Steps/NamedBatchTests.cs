using TinyDl.Metrics;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Steps;

public sealed class NamedBatchTests
{
    [Test]
    public void Dictionary_batches_are_matched_to_the_forward_parameters_by_name()
    {
        // Arrange: batches {labels, mask, x} in another order than forward(x, mask).
        var (data, x, mask, labels) = MaskedData(samples: 24, batchSize: 8);
        manual_seed(1);
        var model = new MaskedLinear();
        Tensor? expected = null;
        Tensor? seen = null;
        using var validator = new Validator(model, data, step: batch =>
        {
            var output = batch.Forward(model);
            return new StepOutput(nn.functional.cross_entropy(output, batch["labels"])) { Output = output, Target = batch["labels"] };
        }, [new Accuracy(), new Loss()]);
        var inputs = new List<Tensor?>();
        validator.BatchCompleted.Subscribe(e => inputs.Add(e.Input));

        // Act
        var metrics = validator.RunEpoch()!.Metrics;
        using (no_grad())
        {
            expected = model.call(x, mask);
            seen = expected.argmax(1).eq(labels).to_type(ScalarType.Float64).mean();
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(metrics["accuracy"], Is.EqualTo(seen.item<double>()).Within(1e-9));
            Assert.That(metrics["loss"], Is.EqualTo(nn.functional.cross_entropy(expected, labels).item<float>()).Within(1e-5));
            Assert.That(inputs, Has.Count.EqualTo(3).And.All.Null, "a named batch without 'input' has no BatchCompleted.Input");
        });
    }

    [Test]
    public void A_missing_tensor_is_named_with_the_forward_signature_and_the_names_the_batch_has()
    {
        var batch = new Batch(new Dictionary<string, Tensor> { ["x"] = ones(2, 4), ["labels"] = zeros(2, ScalarType.Int64) });

        Assert.That(() => batch.Forward(new MaskedLinear()), Throws.TypeOf<KeyNotFoundException>()
            .With.Message.Contains("'mask'").And.Message.Contains("MaskedLinear.forward(x, mask)").And.Message.Contains("x, labels"));
    }

    [Test]
    public void An_optional_forward_parameter_may_be_missing_from_the_batch()
    {
        var model = new OptionalMask();
        var batch = new Batch(new Dictionary<string, Tensor> { ["x"] = ones(2, 4) });

        using var output = batch.Forward(model);

        Assert.That(output.sum().item<float>(), Is.EqualTo(8));
    }

    [Test]
    public void An_input_target_batch_calls_a_one_input_model_with_its_input()
    {
        var model = nn.Linear(4, 2);
        var batch = new Batch(ones(3, 4), zeros(3));

        using var output = batch.Forward(model);
        using var direct = model.call(ones(3, 4));

        Assert.That(output.data<float>().ToArray(), Is.EqualTo(direct.data<float>().ToArray()));
    }

    [Test]
    public void A_batch_names_what_it_has_when_asked_for_what_it_lacks()
    {
        var batch = new Batch(new Dictionary<string, Tensor> { ["x"] = ones(2), ["labels"] = ones(2) });

        Assert.Multiple(() =>
        {
            Assert.That(() => batch["mask"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'mask'").And.Message.Contains("x, labels"));
            Assert.That(() => batch.Input, Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'input'"));
            Assert.That(batch.Size, Is.EqualTo(2));
            Assert.That(() => new Batch(new Dictionary<string, Tensor>()), Throws.ArgumentException.With.Message.Contains("no tensors"));
        });
    }

    [Test]
    public void A_dictionary_batch_with_a_null_tensor_is_an_error_naming_the_batch()
    {
        var model = nn.Linear(4, 3);
        var data = new List<Dictionary<string, Tensor>>
        {
            new() { ["input"] = ones(2, 4), ["target"] = zeros(2, ScalarType.Int64) },
            new() { ["input"] = ones(2, 4), ["target"] = null! },
        };
        using var trainer = new Trainer(model, data, optim.SGD(model.parameters(), 0.1), step: batch =>
            new StepOutput(nn.functional.cross_entropy(batch.Forward(model), batch.Target)));

        Assert.That(() => trainer.RunEpoch(1), Throws.InvalidOperationException.With.Message.Contains("Batch 2 of train epoch 1"));
    }

    [Test]
    public void A_trainer_learns_from_dictionary_batches()
    {
        // Arrange
        var (data, _, _, _) = MaskedData(samples: 96, batchSize: 16);
        manual_seed(1);
        var model = new MaskedLinear();
        using var trainer = new Trainer(model, data, optim.Adam(model.parameters(), 0.05), step: batch =>
        {
            var output = batch.Forward(model);
            return new StepOutput(nn.functional.cross_entropy(output, batch["labels"])) { Output = output, Target = batch["labels"] };
        }, [new Loss(), new Accuracy()]);

        // Act
        var first = trainer.RunEpoch(1)!;
        EpochCompleted last = first;
        for (var epoch = 2; epoch <= 15; epoch++)
        {
            last = trainer.RunEpoch(epoch)!;
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(last.Metrics["loss"], Is.LessThan(first.Metrics["loss"]));
            Assert.That(last.Metrics["accuracy"], Is.GreaterThan(0.8));
            Assert.That(last.Samples, Is.EqualTo(96));
            Assert.That(trainer.Data, Is.SameAs(data));
        });
    }

    private static (List<Dictionary<string, Tensor>> Data, Tensor X, Tensor Mask, Tensor Labels) MaskedData(int samples, int batchSize)
    {
        var (x, labels) = Synthetic.Classification(samples, seed: 9);
        var mask = ones(samples, 4);
        mask[.., 3] = zeros(samples);
        var data = new List<Dictionary<string, Tensor>>();
        for (var start = 0; start < samples; start += batchSize)
        {
            var end = Math.Min(start + batchSize, samples);
            data.Add(new() { ["labels"] = labels[start..end], ["mask"] = mask[start..end], ["x"] = x[start..end] });
        }

        return (data, x, mask, labels);
    }

    /// <summary>A linear classifier over masked features: forward(x, mask).</summary>
    private sealed class MaskedLinear : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear _linear = nn.Linear(4, 3);

        public MaskedLinear()
            : base(nameof(MaskedLinear)) => RegisterComponents();

        public override Tensor forward(Tensor x, Tensor mask) => _linear.call(x * mask);
    }

    /// <summary>forward(x, mask = null): the mask is optional.</summary>
    private sealed class OptionalMask : nn.Module<Tensor, Tensor, Tensor>
    {
        public OptionalMask()
            : base(nameof(OptionalMask))
        {
        }

        public override Tensor forward(Tensor x, Tensor? mask = null) => mask is null ? x.clone() : x * mask;
    }
}
