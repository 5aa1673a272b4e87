using TinyDl.Internal;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Tests.Metrics.Support;
using TinyDl.Tests.Reporters;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class UndefinedMetricTests
{
    private const int Samples = 20;

    [Test]
    public void An_undefined_roc_auc_is_nan_with_a_warning_while_the_epoch_and_the_other_metrics_go_on()
    {
        // Arrange: every validation target is 0, so ROC AUC has no positives.
        using var validator = BinaryValidator(new RocAuc(), out var inputs, out var model);
        EpochCompleted? completed = null;
        using var subscription = validator.EpochCompleted.Subscribe(e => completed = e);

        // Act
        validator.RunEpoch();

        // Assert
        using var logits = model.call(inputs);
        var expectedAccuracy = logits.data<float>().ToArray().Count(l => l <= 0) / (double)Samples;
        Assert.That(completed, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That(completed!.Metrics.Names, Is.EqualTo(new[] { "accuracy", "roc_auc" }));
            Assert.That(completed.Metrics["accuracy"], Is.EqualTo(expectedAccuracy).Within(1e-9));
            Assert.That(completed.Metrics["roc_auc"], Is.NaN);
            Assert.That(completed.Metrics.TryGet("roc_auc", out var auc) && auc.IsUndefined, Is.True);
            Assert.That(completed.Warnings, Is.EqualTo(new[] { "roc_auc is undefined, reported as NaN: the targets hold only negatives this epoch" }));
        });
    }

    [Test]
    public void A_metric_told_to_fail_when_undefined_fails_the_epoch()
    {
        // Arrange
        using var validator = BinaryValidator(new RocAuc { FailWhenUndefined = true }, out _, out _);

        // Act & Assert
        Assert.That(() => validator.RunEpoch(), Throws.InstanceOf<UndefinedMetricException>()
            .With.Property(nameof(UndefinedMetricException.MetricName)).EqualTo("roc_auc")
            .And.Property(nameof(UndefinedMetricException.Reason)).EqualTo("the targets hold only negatives this epoch"));
    }

    [Test]
    public void The_console_table_prints_each_warning_as_one_line_below_the_epochs_row()
    {
        // Arrange
        var console = ConsoleRuns.Redirected();
        using var validator = BinaryValidator(new RocAuc(), out var inputs, out var model);
        using var data = zeros(Samples, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.0);
        using var trainer = new Trainer(model, new TensorBatches(inputs, data, 10), optimizer, (o, t) => nn.functional.binary_cross_entropy_with_logits(o, t), [new Loss()]);
        using var runner = new Runner(trainer, validator);
        using var table = new ConsoleTableReporter(console);
        using var attached = table.AttachTo(runner);

        // Act
        runner.Run(epochs: 2);

        // Assert: the warning follows each epoch's row.
        var lines = console.Output.Split('\n').Select(l => l.TrimEnd()).ToArray();
        var rows = Enumerable.Range(0, lines.Length).Where(i => lines[i].TrimStart().StartsWith('1') || lines[i].TrimStart().StartsWith('2')).ToArray();
        const string Warning = "warning: validation roc_auc is undefined, reported as NaN: the targets hold only negatives this epoch";
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Length.EqualTo(2));
            Assert.That(lines[rows[0] + 1], Is.EqualTo(Warning));
            Assert.That(lines[rows[1] + 1], Is.EqualTo(Warning));
            Assert.That(lines.Count(l => l.StartsWith("warning:", StringComparison.Ordinal)), Is.EqualTo(2));
        });
    }

    [Test]
    public void A_class_without_positives_leaves_only_its_own_and_the_macro_roc_auc_undefined()
    {
        // Arrange: three classes, class 2 never a target.
        const int classes = 3;
        var logits = Normal(Samples * classes, seed: 81);
        var labels = Labels(Samples, 2, seed: 82);
        var probabilities = Enumerable.Range(0, Samples).Select(i => Reference.Softmax(logits, i, classes)).ToArray();
        var class0 = Reference.RocAuc([.. probabilities.Select(p => p[0])], [.. labels.Select(l => l == 0)]);
        using var output = Matrix(logits, classes);
        using var target = tensor(labels);
        using var metric = new RocAuc(classes) { PerClass = true, Scores = ScoreKind.Logits };
        Feed(metric, output, target, 12, 8);

        // Act: what the epoch loop publishes for the metric.
        var report = MetricReport.Of(metric);

        // Assert
        var values = new MetricValues(report.Values);
        Assert.Multiple(() =>
        {
            Assert.That(values["roc_auc"], Is.NaN);
            Assert.That(values["roc_auc_class_0"], Is.EqualTo(class0).Within(1e-9));
            Assert.That(values["roc_auc_class_1"], Is.Not.NaN);
            Assert.That(values["roc_auc_class_2"], Is.NaN);
            Assert.That(report.Warning, Is.EqualTo("roc_auc, roc_auc_class_2 are undefined, reported as NaN: the one-vs-rest targets of class 2 hold only negatives this epoch"));
        });
    }

    [Test]
    public void An_exception_built_from_a_metric_and_a_reason_says_both()
    {
        // Arrange & Act
        var named = new UndefinedMetricException("r2", "one sample");
        var plain = new UndefinedMetricException("plain message");
        var inner = new InvalidOperationException("cause");
        var wrapped = new UndefinedMetricException("wrapped", inner);
        var empty = new UndefinedMetricException();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(named.Message, Is.EqualTo("Metric 'r2' is undefined: one sample."));
            Assert.That((named.MetricName, named.Reason), Is.EqualTo(("r2", "one sample")));
            Assert.That((plain.Message, plain.MetricName, plain.Reason), Is.EqualTo(("plain message", string.Empty, "plain message")));
            Assert.That((wrapped.Message, wrapped.InnerException), Is.EqualTo(("wrapped", inner)));
            Assert.That(empty.Message, Does.Contain("undefined"));
            Assert.That(() => new UndefinedMetricException("r2", string.Empty), Throws.ArgumentException);
        });
    }

    private static Validator BinaryValidator(Metric ranking, out Tensor inputs, out nn.Module<Tensor, Tensor> model)
    {
        random.manual_seed(83);
        model = nn.Linear(4, 1);
        inputs = randn(Samples, 4);
        var targets = zeros(Samples, 1);
        return new Validator(model, new TensorBatches(inputs, targets, 7), metrics: [new Accuracy { Scores = ScoreKind.Logits }, ranking]);
    }
}
