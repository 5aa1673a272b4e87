using TinyDl;
using TinyDl.Controls;
using TinyDl.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Readme;

/// <content>The README's custom-step tour: named batches, a custom step, named values, a schedule.</content>
public sealed partial class ApiTourTests
{
    [Test]
    public void The_custom_step_tour_trains_on_named_batches_and_reports_the_named_value()
    {
        // Arrange: {x, mask, labels} batches; the mask hides the last feature.
        var (x, labels) = Support.Synthetic.Classification(256, seed: 3);
        var mask = ones(256, 4);
        mask[.., 3] = zeros(256);
        List<Dictionary<string, Tensor>> Batches(int from, int to, int size) =>
            [.. Enumerable.Range(0, (to - from) / size).Select(i => new Dictionary<string, Tensor>
            {
                ["x"] = x[(from + i * size)..(from + (i + 1) * size)],
                ["mask"] = mask[(from + i * size)..(from + (i + 1) * size)],
                ["labels"] = labels[(from + i * size)..(from + (i + 1) * size)],
            })];
        manual_seed(1);
        var model = new MaskedClassifier();

        // Act
        var result = Steps(model, Batches(0, 192, 16), Batches(192, 256, 32));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(result.Final[Stage.Train]["masked"], Is.EqualTo(1.0), "one masked feature per sample");
            Assert.That(result.Best[Stage.Validation]["accuracy"], Is.GreaterThan(0.8));
            Assert.That(result.GlobalStep, Is.EqualTo(5 * 10), "MaxBatches = 10 of 12 batches per epoch");
        });
    }

    [Test]
    public void The_readme_shows_the_custom_step_tour_exactly_as_compiled_here() =>
        AssertShownAsCompiled("Readme/ApiTourTests.Steps.cs", "steps");

    private static RunCompleted Steps(MaskedClassifier model, List<Dictionary<string, Tensor>> batches, List<Dictionary<string, Tensor>> validBatches)
    {
        // steps:start
        // model.forward(Tensor x, Tensor mask): Forward passes the batch's "x" and "mask" by name.
        StepOutput Step(Batch batch)
        {
            var output = batch.Forward(model);
            return new StepOutput(nn.functional.cross_entropy(output, batch["labels"]))
            {
                Output = output,                 // what Accuracy compares with Target
                Target = batch["labels"],
                Values = new Dictionary<string, Tensor> { ["masked"] = batch["mask"].eq(0).sum(1) },
            };
        }

        var optimizer = optim.Adam(model.parameters(), 0.05);
        using var trainer = new Trainer(model, batches, optimizer, step: Step, [new Loss(), new Accuracy(), new Mean("masked", b => b.Value("masked"))])
        {
            NonFiniteLoss = NonFiniteLoss.Skip,   // a NaN/Inf loss skips its batch (the default fails the run)
            MaxBatches = 10,            // at most 10 batches per epoch, for smoke runs
        };
        using var validator = new Validator(model, validBatches, step: Step, [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator);
        using var schedule = runner.Attach(new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o, patience: 1)) { Monitor = "loss" });
        var result = runner.Run(epochs: 5);

        // steps:end
        return result;
    }

    /// <summary>A linear classifier over masked features.</summary>
    private sealed class MaskedClassifier : nn.Module<Tensor, Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear _linear = nn.Linear(4, 3);

        public MaskedClassifier()
            : base(nameof(MaskedClassifier)) => RegisterComponents();

        public override Tensor forward(Tensor x, Tensor mask) => _linear.call(x * mask);
    }
}
