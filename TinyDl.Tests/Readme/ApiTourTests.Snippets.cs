using System.Globalization;
using FashionMnist;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Testing;
using TinyDl;
using TinyDl.Controls;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Serving;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Readme;

/// <content>The README's smaller blocks: scoring tensors, controls, trainer options, several optimizers, serving.</content>
public sealed partial class ApiTourTests
{
    [TestCase("scoring")]
    [TestCase("controls")]
    [TestCase("options")]
    [TestCase("optimizers")]
    [TestCase("serving")]
    public void The_readme_shows_each_small_block_exactly_as_compiled_here(string name) =>
        AssertShownAsCompiled("Readme/ApiTourTests.Snippets.cs", name);

    [Test]
    public void Scoring_tensors_directly_gives_the_metrics_of_the_whole_data()
    {
        // Arrange: 3 classes, every sample right except the last (true 2, predicted 0).
        var logits = tensor(new float[,] { { 5, 0, 0 }, { 0, 5, 0 }, { 0, 0, 5 }, { 5, 0, 0 } });
        var labels = tensor(new long[] { 0, 1, 2, 2 });
        var chunks = new[] { (logits[..2], labels[..2]), (logits[2..], labels[2..]) };

        // Act
        var (macro, auc) = Scoring(logits, labels, chunks);

        // Assert: F1 per class 2/3, 1, 2/3 (scikit-learn's f1_score(average="macro") = 0.7778).
        Assert.Multiple(() =>
        {
            Assert.That(macro, Is.EqualTo((2.0 / 3 + 1 + 2.0 / 3) / 3).Within(1e-9));
            Assert.That(auc, Is.GreaterThan(0.5).And.LessThanOrEqualTo(1.0));
        });
    }

    [Test]
    public void The_controls_block_stops_the_run_at_the_step_limit_with_the_schedule_applied()
    {
        // Arrange: 7 batches per epoch, so step 100 is in epoch 15.
        var (runner, _) = Support.Synthetic.Run(trainSamples: 50, batchSize: 8);
        using var disposeRunner = runner;
        var optimizer = runner.Trainer.Optimizer;
        var directory = Directory.CreateTempSubdirectory("tinydl-controls-").FullName;
        using var table = new ConsoleTableReporter(new TestConsole().Width(160));
        using var csv = new CsvReporter(Path.Combine(directory, "metrics.csv"));

        // Act
        var (result, early) = Controls(runner, optimizer, table, csv);

        // Assert: either control may end it; whichever did says so, and the rate halved every 5 epochs.
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RunStatus.Stopped));
            if (early.StoppedEpoch is { } stopped)
            {
                Assert.That(result.StopReason, Does.StartWith("early stopping: the validation loss did not improve for 3 epochs"));
                Assert.That(result.Epoch, Is.EqualTo(stopped));
            }
            else
            {
                Assert.That((result.StopReason, result.GlobalStep), Is.EqualTo(("step limit: 100 training steps", 100L)));
            }

            Assert.That(optimizer.ParamGroups.First().LearningRate, Is.EqualTo(0.1 * Math.Pow(0.5, result.EpochsRun / 5)).Within(1e-12));
        });
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public void The_trainer_options_block_accumulates_clips_and_fails_on_a_non_finite_loss()
    {
        // Arrange
        var (x, y) = Support.Synthetic.Classification(64, seed: 5);
        manual_seed(5);
        var model = nn.Linear(4, 3);
        var optimizer = optim.SGD(model.parameters(), 0.1);
        var data = new TensorBatches(x, y, batchSize: 8);

        // Act
        using var trainer = Options(model, data, optimizer, nn.CrossEntropyLoss(), [new Loss()]);
        var result = trainer.Run(epochs: 2);

        // Assert: 8 batches per epoch, one optimizer step per 4 of them.
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(trainer.AccumulationSteps, Is.EqualTo(4));
            Assert.That(trainer.NonFiniteLoss, Is.EqualTo(NonFiniteLoss.Fail));
            Assert.That(result.GlobalStep, Is.EqualTo(16));
        });
    }

    [Test]
    public void The_optimizers_block_trains_a_gan_like_pair_with_manual_steps()
    {
        // Arrange: a "generator" and a "discriminator" updated in turn by the step.
        manual_seed(3);
        var generator = nn.Linear(2, 2);
        var discriminator = nn.Linear(2, 1);
        var gan = nn.Sequential(("generator", generator), ("discriminator", discriminator));
        var points = randn(64, 2);
        var data = new TensorBatches(points, zeros(64), batchSize: 16);
        IReadOnlyList<Metric> metrics = [new Mean("d_loss", b => b.Value("d_loss"))];
        var before = generator.weight!.clone();

        // Act
        using var trainer = Optimizers(gan, generator, discriminator, data, metrics);
        var result = trainer.Run(epochs: 1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(trainer.Optimizers.Keys, Is.EqualTo(new[] { "generator", "discriminator" }));
            Assert.That(result.Status, Is.EqualTo(RunStatus.Completed));
            Assert.That(generator.weight!.eq(before).all().item<bool>(), Is.False, "the generator's optimizer stepped");
        });
    }

    private static (double Macro, double Auc) Scoring(Tensor logits, Tensor labels, IEnumerable<(Tensor, Tensor)> chunks)
    {
        // scoring:start
        using var f1 = new F1Score(numClasses: 3);
        var macro = f1.Compute(logits, labels);                    // Reset, Update, Compute in one call
        using var auc = new RocAuc(3) { Scores = ScoreKind.Logits };
        foreach (var (output, target) in chunks)
        {
            auc.Update(output, target);
        }

        var value = auc.Compute();

        // scoring:end
        return (macro, value);
    }

    private static (RunCompleted Result, EarlyStopping Early) Controls(Runner runner, optim.Optimizer optimizer, ConsoleTableReporter table, CsvReporter csv)
    {
        // controls:start
        var early = new EarlyStopping("loss") { Patience = 3, MinDelta = 1e-3 };   // Keras/Lightning semantics; early.StoppedEpoch
        var limit = new StepLimit(maxSteps: 100);                                   // ends mid-epoch at exactly that step
        var schedule = new LearningRateSchedule(optimizer, o => optim.lr_scheduler.StepLR(o, step_size: 5, gamma: 0.5));
        // or per batch:  new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ExponentialLR(o, gamma: 0.9999), ScheduleInterval.Batch)
        // or on plateau: new LearningRateSchedule(optimizer, o => optim.lr_scheduler.ReduceLROnPlateau(o, patience: 2)) { Monitor = "loss" }
        using var attached = runner.Attach(table, csv, early, limit, schedule);
        var result = runner.Run(epochs: 50);
        Console.WriteLine(result.StopReason);      // "step limit: 100 training steps", or early stopping's reason

        // controls:end
        return (result, early);
    }

    private static Trainer Options(nn.Module<Tensor, Tensor> model, TensorBatches data, optim.Optimizer optimizer, nn.Module<Tensor, Tensor, Tensor> loss, IEnumerable<Metric> metrics)
    {
        // options:start
        var trainer = new Trainer(model, data, optimizer, loss, metrics)
        {
            AccumulationSteps = 4,                  // 4 batches of B train like one of 4B (loss scaled by 1/4)
            ClipGradientNorm = 1.0,                 // and/or ClipGradientValue = 0.5
            NonFiniteLoss = NonFiniteLoss.Fail,     // the default; or Skip, or Allow
            MaxBatches = 1_000,                     // at most that many batches per epoch
        };

        // options:end
        return trainer;
    }

    private static Trainer Optimizers(nn.Module gan, nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, TensorBatches data, IReadOnlyList<Metric> metrics)
    {
        // optimizers:start
        var optimizers = new Optimizers
        {
            ["generator"] = optim.Adam(generator.parameters(), 2e-4),
            ["discriminator"] = optim.Adam(discriminator.parameters(), 2e-4),
        };

        // A manual step: it updates the discriminator, then the generator, and reports both losses.
        StepOutput GanStep(Batch batch)
        {
            optimizers["discriminator"].zero_grad();
            var real = discriminator.call(batch.Input);
            var fake = discriminator.call(generator.call(randn_like(batch.Input)).detach());
            var dLoss = nn.functional.softplus(-real).mean() + nn.functional.softplus(fake).mean();
            dLoss.backward();
            optimizers["discriminator"].step();

            optimizers["generator"].zero_grad();
            var gLoss = nn.functional.softplus(-discriminator.call(generator.call(randn_like(batch.Input)))).mean();
            gLoss.backward();
            optimizers["generator"].step();
            return new StepOutput { Values = new Dictionary<string, Tensor> { ["d_loss"] = dLoss, ["g_loss"] = gLoss } };
        }

        var trainer = new Trainer(gan, data, optimizers, step: GanStep, metrics) { ManualOptimization = true };

        // optimizers:end
        return trainer;
    }

    private static void Serving(string[] args)
    {
        // serving:start
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddTinyDlModel("fashion",
            ModelSource.FromRun("runs/fashion-mnist/model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=1_seed=42",
                run => FashionMnistModel.Create("mlp", Convert.ToInt32(run.Hyperparameters["hidden"], CultureInfo.InvariantCulture))),
            new ModelServingOptions { InputShape = [784], Labels = FashionMnistData.ClassNames, MaxBatchSize = 32 });
        builder.Services.AddOpenApi();                       // optional: the document then has the model's real shapes
        var app = builder.Build();
        app.MapTinyDlModels();                               // /models/fashion, /models/fashion/predict, /healthz, /readyz
        app.MapOpenApi();                                    // /openapi/v1.json
        app.Run();                                           // throws ModelLoadException for a run it refuses

        // serving:end
    }
}
