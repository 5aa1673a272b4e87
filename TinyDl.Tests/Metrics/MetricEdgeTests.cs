using TinyDl.Metrics;
using TinyDl.Tests.Metrics.Support;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics;

public sealed class MetricEdgeTests
{
    private const int Samples = 16;

    [Test]
    public void Cross_entropy_checks_its_logits_and_class_weights()
    {
        using var flat = tensor(new[] { 0.1f, 0.2f });
        using var four = Matrix(Normal(2 * 4, seed: 151), 4);
        using var labels = tensor(new[] { 0L, 1 });
        using var weighted = new CrossEntropy([1, 2, 3]);
        using var plain = new CrossEntropy();
        using var wrongTarget = tensor(new[] { 0.5f, 0.5f });
        Assert.Multiple(() =>
        {
            Assert.That(() => plain.Compute(flat, labels), Throws.ArgumentException.With.Message.Contains("expects logits of shape [N, C] or [N, C, d...]"));
            Assert.That(() => weighted.Compute(four, labels), Throws.ArgumentException.With.Message.Contains("expects logits of shape [N, 3] (one per class weight)"));
            Assert.That(() => new CrossEntropy([]), Throws.ArgumentException.With.Message.Contains("one value per class"));
            Assert.That(() => plain.Compute(four, wrongTarget), Throws.ArgumentException.With.Message.Contains("a target of class indices (an integer type) of shape [2]"));
        });
    }

    [Test]
    public void Cross_entropy_over_extra_dimensions_matches_torch_and_names_the_sample_of_a_bad_target()
    {
        // Arrange: [N, C, d] logits with [N, d] targets.
        using var output = tensor(Normal(Samples * 3 * 2, seed: 152), [Samples, 3, 2]);
        var labels = Labels(Samples * 2, 3, seed: 153);
        using var target = tensor(labels, [Samples, 2]);
        using var expected = nn.functional.cross_entropy(output, target);
        labels[11] = 9; // sample 5, second position
        using var bad = tensor(labels, [Samples, 2]);
        using var metric = new CrossEntropy();

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(metric, output, target, 10, 6), Is.EqualTo(expected.item<float>()).Within(1e-5));
            Assert.That(() => Run(metric, output, bad, 10, 6), Throws.InvalidOperationException.With.Message.Contains("the first is sample 5 of"));
        });
    }

    [Test]
    public void R2_averages_every_output_and_scores_a_constant_target_by_whether_it_was_hit()
    {
        // Arrange: three random outputs.
        var truth = Normal(Samples * 3, seed: 154);
        var predicted = truth.Zip(Normal(Samples * 3, seed: 155), (t, n) => t + (0.7f * n)).ToArray();
        double Column(float[] values, int j, int i) => values[(i * 3) + j];
        var expected = Enumerable.Range(0, 3).Average(j => Reference.R2([.. Enumerable.Range(0, Samples).Select(i => Column(predicted, j, i))], [.. Enumerable.Range(0, Samples).Select(i => Column(truth, j, i))]));
        using var output = Matrix(predicted, 3);
        using var target = Matrix(truth, 3);
        using var constant = full(4, 2f);
        using var hit = full(4, 2f);
        using var missed = full(4, 3f);
        using var metric = new R2Score();

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(Run(metric, output, target, 9, 7), Is.EqualTo(expected).Within(1e-6));
            Assert.That(metric.Compute(hit, constant), Is.EqualTo(1));
            Assert.That(metric.Compute(missed, constant), Is.EqualTo(0));
            Assert.That(() => Run(metric, output, target.narrow(1, 0, 2), 9, 7), Throws.ArgumentException);
        });
    }

    [Test]
    public void R2_refuses_a_batch_with_another_number_of_outputs()
    {
        using var metric = new R2Score();
        metric.Update(zeros(3, 2), ones(3, 2));
        Assert.That(() => metric.Update(zeros(3, 4), ones(3, 4)), Throws.ArgumentException.With.Message.Contains("2 output(s) per sample like the epoch's earlier batches"));
    }

    [Test]
    public void Ranking_metrics_take_any_number_of_classes_when_not_told_and_check_it_when_told()
    {
        // Arrange
        const int classes = 3;
        using var output = Matrix(Normal(Samples * classes, seed: 156), classes);
        using var labels = tensor(Labels(Samples, classes, seed: 157));
        using var told = new RocAuc(classes) { Scores = ScoreKind.Logits };
        using var free = new RocAuc { Scores = ScoreKind.Logits };
        using var wrong = new AveragePrecision(4) { Scores = ScoreKind.Logits };
        using var cube = zeros(Samples, 3, 2);

        // Act & Assert
        Assert.Multiple(() =>
        {
            Assert.That(free.Compute(output, labels), Is.EqualTo(told.Compute(output, labels)).Within(1e-12));
            Assert.That(() => wrong.Compute(output, labels), Throws.ArgumentException.With.Message.Contains("expects scores of shape [N, 4]"));
            Assert.That(() => free.Compute(cube, labels), Throws.ArgumentException.With.Message.Contains("expects scores of shape [N] (binary) or [N, C] (one-vs-rest)"));
            Assert.That(() => new RocAuc(1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Ranking_metrics_refuse_batches_with_another_number_of_columns()
    {
        using var metric = new RocAuc { Scores = ScoreKind.Logits };
        metric.Update(Matrix(Normal(6, seed: 158), 3), tensor(new[] { 0L, 2 }));
        Assert.That(() => metric.Update(Matrix(Normal(8, seed: 159), 4), tensor(new[] { 0L, 3 })), Throws.ArgumentException.With.Message.Contains("3 score column(s) per sample like the epoch's earlier batches"));
    }

    [Test]
    public void Two_class_scores_rank_one_vs_rest_and_binary_logits_are_never_softmaxed()
    {
        // Arrange: [N, 2] logits: class 1's one-vs-rest AUC is the binary AUC of the logit difference.
        var logits = Normal(Samples * 2, seed: 160);
        var labels = Labels(Samples, 2, seed: 161);
        var difference = Enumerable.Range(0, Samples).Select(i => (double)logits[(2 * i) + 1] - logits[2 * i]).ToArray();
        var positive = labels.Select(l => l == 1).ToArray();
        using var output = Matrix(logits, 2);
        using var target = tensor(labels);
        using var single = tensor(difference.Select(d => (float)d).ToArray());
        using var twoColumns = new RocAuc(2) { Scores = ScoreKind.Logits, PerClass = true };
        using var binary = new RocAuc { Scores = ScoreKind.Logits, PerClass = true };

        // Act
        Feed(twoColumns, output, target, Samples);
        var values = new MetricValues(twoColumns.ComputeValues());
        Feed(binary, single, target, Samples);
        var binaryValues = binary.ComputeValues().ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(values["roc_auc_class_1"], Is.EqualTo(Reference.RocAuc(difference, positive)).Within(1e-9));
            Assert.That(binaryValues.Select(v => v.Name), Is.EqualTo(new[] { "roc_auc" }));
            Assert.That(binaryValues[0].Value, Is.EqualTo(Reference.RocAuc(difference, positive)).Within(1e-9));
        });
    }

    [Test]
    public void Several_undefined_columns_give_each_reason_once()
    {
        using var output = Matrix(Normal(4 * 4, seed: 162), 4);
        using var target = tensor(new[] { 0L, 1, 0, 1 });
        using var metric = new RocAuc(4) { Scores = ScoreKind.Logits };
        Assert.That(() => metric.Compute(output, target), Throws.InstanceOf<UndefinedMetricException>().With.Property(nameof(UndefinedMetricException.Reason))
            .EqualTo("the one-vs-rest targets of class 2 hold only negatives this epoch; the one-vs-rest targets of class 3 hold only negatives this epoch"));
    }

    [Test]
    public void Confusion_matrix_cells_are_named_true_then_predicted_and_the_diagonal_ranks_upwards()
    {
        // Arrange
        using var output = OneHot([0, 1, 1, 2, 2, 2], 3);
        using var target = tensor(new long[] { 0, 0, 1, 2, 1, 2 });
        using var nan = tensor(new[] { float.NaN, 0, 0, 1, 0, 0 }, [2, 3]);
        using var twoTargets = tensor(new long[] { 0, 1 });
        using var metric = new ConfusionMatrix(3) { ReportCells = true };
        using var empty = new ConfusionMatrix(3);

        // Act
        Feed(metric, output, target, 6);
        var cells = metric.ComputeValues().ToList();
        var matrices = metric.ComputeMatrices().ToList();
        Feed(metric, nan, twoTargets, 2);
        var undefined = metric.ComputeValues().ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(cells.Select(c => c.Name), Is.EqualTo(Enumerable.Range(0, 9).Select(i => $"confusion_matrix_{i / 3}_{i % 3}")));
            Assert.That(cells.Select(c => c.Value), Is.EqualTo(new double[] { 1, 1, 0, 0, 1, 1, 0, 0, 2 }));
            Assert.That(cells.Select(c => c.HigherIsBetter), Is.EqualTo(Enumerable.Range(0, 9).Select(i => i % 4 == 0)));
            Assert.That(matrices.Single().Value.ToArray(), Is.EqualTo(new double[,] { { 1, 1, 0 }, { 0, 1, 1 }, { 0, 0, 2 } }));
            Assert.That(undefined.Select(c => c.Name), Is.EqualTo(cells.Select(c => c.Name)));
            Assert.That(undefined.Select(c => c.HigherIsBetter), Is.EqualTo(cells.Select(c => c.HigherIsBetter)));
            Assert.That(undefined.Select(c => c.Value), Is.All.NaN);
            Assert.That(empty.ComputeMatrices(), Is.Empty);
            Assert.That(() => empty.ComputeMatrix(), Throws.InvalidOperationException.With.Message.Contains("at least one sample"));
        });
    }

    [Test]
    public void A_class_never_predicted_scores_zero_precision_and_per_class_values_appear_only_when_asked()
    {
        // Arrange: class 2 is a target but never predicted; class 1 is predicted but never a target.
        using var output = OneHot([0, 1, 0, 1], 3);
        using var target = tensor(new long[] { 0, 2, 0, 2 });
        using var precision = new Precision(3) { PerClass = true };
        using var recall = new Recall(3);

        // Act
        Feed(precision, output, target, 4);
        var values = precision.ComputeValues().ToList();
        Feed(recall, output, target, 4);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(values.Select(v => v.Value), Is.EqualTo(new[] { 1.0 / 3, 1, 0, 0 }));
            Assert.That(values.Select(v => v.HigherIsBetter), Is.All.True);
            Assert.That(recall.ComputeValues().Select(v => v.Name), Is.EqualTo(new[] { "recall_macro" }));
            Assert.That(recall.Compute(), Is.EqualTo(1.0 / 3).Within(1e-12));
        });
    }

    [Test]
    public void Top_k_takes_its_name_and_a_positive_k()
    {
        Assert.Multiple(() =>
        {
            Assert.That(new TopKAccuracy(3, "top_three").Name, Is.EqualTo("top_three"));
            Assert.That(new TopKAccuracy(3).K, Is.EqualTo(3));
            Assert.That(() => new TopKAccuracy(0), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void Lambda_metrics_check_what_their_lambda_returns()
    {
        using var output = zeros(4, 2);
        using var negative = new LambdaMetric("negative", b => (b.Output!.sum(), -1), higherIsBetter: true);
        using var nothing = new LambdaMetric("nothing", b => (null!, 1), higherIsBetter: true);
        using var perSample = new LambdaMetric("per_sample", b => (b.Output!.sum(1L) + 1, b.Size), higherIsBetter: true);
        Assert.Multiple(() =>
        {
            Assert.That(() => negative.Update(Batch(output, output)), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("Measure().Count"));
            Assert.That(() => nothing.Update(Batch(output, output)), Throws.ArgumentNullException.With.Message.Contains("Measure().Sum"));
            Assert.That(perSample.Compute(output, output), Is.EqualTo(1.0), "a per-sample sum [1, 1, 1, 1] is summed: 4 / 4");
            Assert.That(() => new LambdaMetric("x", null!, higherIsBetter: true), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void Loss_and_selected_values_say_what_is_missing_or_misshapen()
    {
        using var output = zeros(4, 2);
        var train = Batch(output, output) with { Stage = Stage.Train };
        using var loss = new Loss();
        using var mean = new Mean("m", b => b.Output!.sum(0L));
        using var running = new RunningAverage();
        Assert.Multiple(() =>
        {
            Assert.That(() => loss.Update(train), Throws.InvalidOperationException.With.Message.Contains("the train stage computed none; give the Trainer a loss function"));
            Assert.That(() => loss.Update(Batch(output, output)), Throws.InvalidOperationException.With.Message.Contains("give the Validator a loss function"));
            Assert.That(() => loss.Update(Batch(output, output, zeros(4))), Throws.ArgumentException.With.Message.Contains("expects the batch's mean loss, a single value; got shape [4]"));
            Assert.That(() => running.Update(train), Throws.InvalidOperationException.With.Message.Contains("give the Trainer a loss function"));
            Assert.That(() => running.Update(Batch(output, output)), Throws.InvalidOperationException.With.Message.Contains("give the Validator a loss function"));
            Assert.That(() => mean.Update(Batch(output, output)), Throws.ArgumentException.With.Message.Contains("per-sample values with the batch's 4 samples along the first dimension; got shape [2]"));
            Assert.That(() => running.Compute(), Throws.InvalidOperationException.With.Message.Contains("at least one sample"));
            Assert.That(() => new RunningAverage(alpha: 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 1)"));
        });
    }

    [Test]
    public void A_running_average_skips_empty_batches()
    {
        using var metric = new RunningAverage(alpha: 0.5);
        metric.Update(Batch(zeros(0, 2), zeros(0, 2), tensor(100f)));
        metric.Update(Batch(zeros(2, 2), zeros(2, 2), tensor(4f)));
        Assert.That(metric.Compute(), Is.EqualTo(4));
    }

    [Test]
    public void The_learning_rate_needs_a_batch_in_the_epoch_and_an_optimizer()
    {
        using var model = nn.Linear(1, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.5);
        using var metric = new LearningRate(optimizer);
        metric.Update(Batch(zeros(1, 1), zeros(1, 1)));
        metric.Reset();
        Assert.Multiple(() =>
        {
            Assert.That(() => metric.Compute(), Throws.InvalidOperationException.With.Message.Contains("'lr'"));
            Assert.That(() => new LearningRate(null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void Shape_checks_of_binary_and_regression_metrics_say_what_they_expect()
    {
        using var column = zeros(4, 1);
        using var cube = zeros(4, 1, 1);
        using var bools = zeros(4, 1, ScalarType.Bool);
        using var bce = new BinaryCrossEntropy { Scores = ScoreKind.Logits };
        using var mse = new MeanSquaredError();
        using var accuracy = new Accuracy { Scores = ScoreKind.Logits };
        Assert.Multiple(() =>
        {
            Assert.That(() => bce.Compute(column, cube), Throws.ArgumentException.With.Message.Contains("expects a target of the output's shape"));
            Assert.That(() => mse.Compute(column, cube), Throws.ArgumentException.With.Message.Contains("expects a numeric target of the output's shape"));
            Assert.That(() => mse.Compute(column, bools), Throws.ArgumentException.With.Message.Contains("numeric target"));
            Assert.That(() => accuracy.Compute(column, cube), Throws.ArgumentException.With.Message.Contains("expects a binary target of shape [N] or [N, 1] holding 0 or 1"));
            Assert.That(() => new F1Score(3).Compute(column, zeros(4)), Throws.ArgumentException.With.Message.Contains("expects an output of shape [N, 3] (one score per class)"));
            Assert.That(() => new F1Score(3).Compute(zeros(4, 2), zeros(4, ScalarType.Int64)), Throws.ArgumentException.With.Message.Contains("expects an output of shape [N, 3] or, for 2 classes, [N]"));
            Assert.That(() => new Accuracy().Compute(zeros(4, 2, 2), zeros(4, ScalarType.Int64)), Throws.ArgumentException.With.Message.Contains("expects an output of shape [N, C] or [N]"));
            Assert.That(new Accuracy { Threshold = 0.25 }.Threshold, Is.EqualTo(0.25));
        });
    }
}
