using TinyDl.Metrics;
using TinyDl.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Steps;

public sealed class CustomStepTests
{
    [Test]
    public void A_custom_step_computing_forward_and_loss_trains_exactly_like_the_standard_step()
    {
        // Arrange
        var (x, y) = Synthetic.Classification(40);
        (float[] Weights, MetricValues Metrics) Train(bool custom)
        {
            manual_seed(3);
            var model = nn.Linear(4, 3);
            var optimizer = optim.SGD(model.parameters(), 0.3);
            var data = new TensorBatches(x, y, 8);
            using var trainer = custom
                ? new Trainer(model, data, optimizer, step: batch =>
                {
                    var output = model.call(batch.Input);
                    return new StepOutput(nn.functional.cross_entropy(output, batch.Target)) { Output = output };
                }, [new Loss(), new Accuracy()])
                : new Trainer(model, data, optimizer, nn.CrossEntropyLoss(), [new Loss(), new Accuracy()]);
            trainer.RunEpoch(1);
            var last = trainer.RunEpoch(2)!;
            return (Flatten(model), last.Metrics);
        }

        // Act
        var standard = Train(custom: false);
        var custom = Train(custom: true);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(custom.Weights, Is.EqualTo(standard.Weights));
            Assert.That(custom.Metrics, Is.EqualTo(standard.Metrics));
        });
    }

    [Test]
    public void Named_values_of_a_custom_step_reach_the_metrics()
    {
        // Arrange: the step reports its loss twice over under another name.
        var (x, y) = Synthetic.Classification(30);
        manual_seed(3);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 7), optim.SGD(model.parameters(), 0.1), step: batch =>
        {
            var output = model.call(batch.Input);
            var loss = nn.functional.cross_entropy(output, batch.Target);
            return new StepOutput(loss) { Values = new Dictionary<string, Tensor> { ["double_loss"] = loss.detach() * 2 } };
        }, [new Loss(), new Mean("double_loss", b => b.Value("double_loss"))]);

        // Act
        var metrics = trainer.RunEpoch(1)!.Metrics;

        // Assert
        Assert.That(metrics["double_loss"], Is.EqualTo(2 * metrics["loss"]).Within(1e-9));
    }

    [Test]
    public void A_metric_marked_unranked_reports_values_without_a_best()
    {
        // Arrange: the unranked value is 3, 1, 2 over three epochs; ranked, its best (lowest) would be 1.
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        double[] perEpoch = [3, 1, 2];
        var epoch = 0;
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), step: batch =>
            new StepOutput(nn.functional.cross_entropy(model.call(batch.Input), batch.Target)) { Values = new Dictionary<string, Tensor> { ["g"] = tensor(perEpoch[epoch]) } },
            [new Loss(), new Mean("g_loss", b => b.Value("g")) { Ranked = false }]);
        using var runner = new Runner(trainer);
        var losses = new List<double>();
        using var subscription = runner.EpochCompleted.Subscribe(e =>
        {
            losses.Add(e.Metrics["loss"]);
            epoch = Math.Min(epoch + 1, perEpoch.Length - 1);
        });

        // Act
        var result = runner.Run(3);

        // Assert: the unranked value's "best" is its last; the ranked loss's best is its minimum.
        var best = result.Best[Stage.Train];
        Assert.Multiple(() =>
        {
            Assert.That(result.Final[Stage.Train].Single(m => m.Name == "g_loss").Ranked, Is.False);
            Assert.That(best["g_loss"], Is.EqualTo(2).Within(1e-12));
            Assert.That(best["loss"], Is.EqualTo(losses.Min()));
        });
    }

    [Test]
    public void Asking_for_a_value_the_step_did_not_return_names_those_it_did()
    {
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), step: batch =>
            new StepOutput(nn.functional.cross_entropy(model.call(batch.Input), batch.Target)) { Values = new Dictionary<string, Tensor> { ["g_loss"] = zeros(1) } },
            [new Mean("d_loss", b => b.Value("d_loss"))]);

        Assert.That(() => trainer.RunEpoch(1), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'d_loss'").And.Message.Contains("g_loss"));
    }

    [Test]
    public void With_manual_optimization_the_step_updates_the_parameters_itself()
    {
        // Arrange: plain gradient descent written in the step, without an optimizer, against SGD.
        var (x, y) = Synthetic.Classification(40);
        float[] Train(bool manual)
        {
            manual_seed(5);
            var model = nn.Linear(4, 3);
            var data = new TensorBatches(x, y, 8);
            if (!manual)
            {
                using var standard = new Trainer(model, data, optim.SGD(model.parameters(), 0.2), nn.CrossEntropyLoss());
                standard.RunEpoch(1);
                return Flatten(model);
            }

            using var trainer = new Trainer(model, data, Optimizers.None, step: batch =>
            {
                var loss = nn.functional.cross_entropy(model.call(batch.Input), batch.Target);
                loss.backward();
                using (no_grad())
                {
                    foreach (var parameter in model.parameters())
                    {
                        parameter.sub_(parameter.grad! * 0.2);
                        parameter.grad!.zero_();
                    }
                }

                return new StepOutput(loss.detach());
            }, [new Loss()])
            { ManualOptimization = true };
            trainer.RunEpoch(1);
            return Flatten(model);
        }

        // Act
        var manual = Train(manual: true);
        var sgd = Train(manual: false);

        // Assert
        Assert.That(manual, Is.EqualTo(sgd).Within(1e-6));
    }

    [Test]
    public void Every_named_optimizer_steps_in_automatic_optimization()
    {
        // Arrange: two modules in one container, each with its own optimizer.
        var (x, y) = Synthetic.Classification(24);
        manual_seed(2);
        var first = nn.Linear(4, 8);
        var second = nn.Linear(8, 3);
        var model = nn.Sequential(("first", first), ("second", second));
        var optimizers = new Optimizers { ["first"] = optim.SGD(first.parameters(), 0.1), ["second"] = optim.Adam(second.parameters(), 0.01) };
        var before = (First: Flatten(first), Second: Flatten(second));
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optimizers, step: batch =>
            new StepOutput(nn.functional.cross_entropy(model.call(batch.Input), batch.Target)));

        // Act
        trainer.RunEpoch(1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Flatten(first), Is.Not.EqualTo(before.First));
            Assert.That(Flatten(second), Is.Not.EqualTo(before.Second));
            Assert.That(trainer.Optimizers.Keys, Is.EqualTo(new[] { "first", "second" }));
            Assert.That(() => trainer.Optimizer, Throws.InvalidOperationException.With.Message.Contains("first, second"));
        });
    }

    [Test]
    public void A_model_that_computes_its_own_loss_trains_through_Forward()
    {
        // Arrange: forward(input, target) returns (prediction, loss); the batch's names match the parameters.
        manual_seed(4);
        var x = randn(64, 3);
        var y = x.matmul(tensor(new float[] { 1, -2, 0.5f }).reshape(3, 1)) + 0.3f;
        var model = new SelfLossRegressor();
        using var trainer = new Trainer(model, new TensorBatches(x, y, 16), optim.Adam(model.parameters(), 0.05), step: batch =>
        {
            var (prediction, loss) = batch.Forward<(Tensor, Tensor)>(model);
            return new StepOutput(loss) { Output = prediction };
        }, [new Loss(), new MeanSquaredError()]);

        // Act
        var first = trainer.RunEpoch(1)!.Metrics;
        for (var epoch = 2; epoch < 30; epoch++)
        {
            trainer.RunEpoch(epoch);
        }

        var last = trainer.RunEpoch(30)!.Metrics;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(last["loss"], Is.LessThan(first["loss"] / 10));
            Assert.That(last["mse"], Is.EqualTo(last["loss"]).Within(1e-3), "the MSE metric reads the prediction and the batch's target");
        });
    }

    [Test]
    public void A_training_step_without_a_loss_is_an_error_naming_the_batch_unless_optimization_is_manual()
    {
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), step: batch => new StepOutput { Output = model.call(batch.Input) });

        Assert.That(() => trainer.RunEpoch(1), Throws.InvalidOperationException.With.Message.Contains("no loss at epoch 1, batch 1").And.Message.Contains("ManualOptimization"));
    }

    [Test]
    public void A_detached_training_loss_is_an_error_that_says_why()
    {
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), step: batch =>
            new StepOutput(nn.functional.cross_entropy(model.call(batch.Input), batch.Target).detach()));

        Assert.That(() => trainer.RunEpoch(1), Throws.InvalidOperationException.With.Message.Contains("does not require gradients"));
    }

    [Test]
    public void Options_that_only_automatic_optimization_applies_are_refused_with_manual_optimization()
    {
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), Optimizers.None, step: _ => new StepOutput())
        {
            ManualOptimization = true,
            ClipGradientNorm = 1,
        };
        using var noOptimizer = new Trainer(model, new TensorBatches(x, y, 8), Optimizers.None, step: _ => new StepOutput());

        Assert.Multiple(() =>
        {
            Assert.That(() => trainer.RunEpoch(1), Throws.InvalidOperationException.With.Message.Contains("ClipGradientNorm"));
            Assert.That(() => noOptimizer.RunEpoch(1), Throws.InvalidOperationException.With.Message.Contains("no optimizer"));
        });
    }

    [Test]
    public void A_metric_that_needs_an_output_says_so_when_the_step_returned_none()
    {
        var (x, y) = Synthetic.Classification(16);
        var model = nn.Linear(4, 3);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), step: batch =>
            new StepOutput(nn.functional.cross_entropy(model.call(batch.Input), batch.Target)), [new Accuracy()]);

        Assert.That(() => trainer.RunEpoch(1), Throws.InvalidOperationException.With.Message.Contains("'accuracy' needs the batch's output").And.Message.Contains("StepOutput.Output"));
    }

    [Test]
    public void Optimizer_names_must_be_unique_and_plain()
    {
        var model = nn.Linear(2, 2);
        var optimizer = optim.SGD(model.parameters(), 0.1);
        Assert.Multiple(() =>
        {
            Assert.That(() => new Optimizers { { "a", optimizer }, { "a", optim.SGD(model.parameters(), 0.1) } }, Throws.ArgumentException.With.Message.Contains("already named 'a'"));
            Assert.That(() => new Optimizers { ["a b"] = optimizer }, Throws.ArgumentException.With.Message.Contains("'a b'"));
            Assert.That(() => new Optimizers { ["a"] = optimizer, ["b"] = optimizer }, Throws.ArgumentException.With.Message.Contains("already in the set"));
            Assert.That(() => new Optimizers()["missing"], Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("'missing'"));
        });
    }

    [Test]
    public void A_validator_may_evaluate_a_module_within_the_trained_model_but_not_another_model()
    {
        var (x, y) = Synthetic.Classification(16);
        var generator = nn.Linear(4, 3);
        var model = nn.Sequential(("generator", generator), ("critic", nn.Linear(3, 1)));
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8), optim.SGD(model.parameters(), 0.1), step: batch =>
            new StepOutput(model.call(batch.Input).mean()));
        using var part = new Validator(generator, new TensorBatches(x, y, 8), nn.CrossEntropyLoss());
        using var other = new Validator(nn.Linear(4, 3), new TensorBatches(x, y, 8), nn.CrossEntropyLoss());

        Assert.Multiple(() =>
        {
            Assert.That(() => new Runner(trainer, part).Dispose(), Throws.Nothing);
            Assert.That(() => new Runner(trainer, other), Throws.ArgumentException.With.Message.Contains("a module within it"));
        });
    }

    private static float[] Flatten(nn.Module model) => [.. model.parameters().SelectMany(p => p.detach().data<float>().ToArray())];

    /// <summary>A linear regressor whose forward also computes its mean squared error.</summary>
    private sealed class SelfLossRegressor : nn.Module<Tensor, Tensor, (Tensor Prediction, Tensor Loss)>
    {
        private readonly TorchSharp.Modules.Linear _linear = nn.Linear(3, 1);

        public SelfLossRegressor()
            : base(nameof(SelfLossRegressor)) => RegisterComponents();

        public override (Tensor Prediction, Tensor Loss) forward(Tensor input, Tensor target)
        {
            var prediction = _linear.call(input);
            return (prediction, nn.functional.mse_loss(prediction, target));
        }
    }
}
