using System.Globalization;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

public sealed class PredictionReportersTests
{
    [Test]
    public void The_confusion_matrix_csv_counts_every_validation_sample_as_the_model_predicts_it()
    {
        // Arrange
        using var run = new PredictionRun();
        var (logits, targets) = run.Reference();
        var expected = new long[3, 3];
        for (var i = 0; i < targets.Length; i++)
        {
            expected[targets[i], Array.IndexOf(logits[i], logits[i].Max())]++;
        }

        // Act
        var rows = File.ReadAllLines(run.File("validation-epoch-0002-confusion.csv"));
        var cells = rows.Skip(1).Select(r => r.Split(',').Skip(1).Select(c => long.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var pairs = File.ReadAllLines(run.File("validation-epoch-0002-confused.csv"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(rows[0], Is.EqualTo("true\\predicted,ant,bee,cat"));
            Assert.That(cells.Sum(r => r.Sum()), Is.EqualTo(PredictionRun.ValidSamples));
            Assert.That(cells, Is.EqualTo(Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Select(j => expected[i, j]).ToArray()).ToArray()));
            Assert.That(pairs[0], Is.EqualTo("true,predicted,count"));
            Assert.That(run.MostConfused.Sum(p => p.Count), Is.LessThanOrEqualTo(PredictionRun.ValidSamples - ((expected[0, 0] + expected[1, 1] + expected[2, 2]))));
            Assert.That(run.MostConfused.Select(p => p.Count), Is.Ordered.Descending);
            Assert.That(File.Exists(run.File("validation-epoch-0001-confusion.csv")), Is.True, "one matrix per epoch");
        });
    }

    [Test]
    public void The_worst_grid_lists_the_samples_of_highest_loss_over_the_whole_epoch()
    {
        // Arrange
        using var run = new PredictionRun();
        var (logits, targets) = run.Reference();
        var losses = Enumerable.Range(0, targets.Length).Select(i => -Math.Log(PredictionRun.Softmax(logits[i])[targets[i]])).ToArray();
        var expected = Enumerable.Range(0, losses.Length).OrderByDescending(i => losses[i]).Take(PredictionRun.Kept).ToList();

        // Act
        var rows = File.ReadAllLines(run.File("validation-epoch-0002-worst.csv")).Skip(1).Select(r => r.Split(',')).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => int.Parse(r[0], CultureInfo.InvariantCulture)), Is.EqualTo(expected));
            Assert.That(rows.Select(r => double.Parse(r[4], CultureInfo.InvariantCulture)), Is.EqualTo(expected.Select(i => losses[i])).Within(1e-4));
            Assert.That(rows.Select(r => r[1]), Is.EqualTo(expected.Select(i => PredictionRun.Labels[targets[i]])));
        });
    }

    [Test]
    public void The_correct_grid_holds_distinct_correct_samples_and_the_same_ones_for_the_same_seed()
    {
        // Arrange
        using var first = new PredictionRun(gridSeed: 3);
        using var again = new PredictionRun(gridSeed: 3);
        using var other = new PredictionRun(gridSeed: 4);
        var (logits, targets) = first.Reference();
        static List<int> Samples(PredictionRun run) =>
            [.. File.ReadAllLines(run.File("validation-epoch-0002-correct.csv")).Skip(1).Select(r => int.Parse(r.Split(',')[0], CultureInfo.InvariantCulture))];

        // Act
        var chosen = Samples(first);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(chosen, Has.Count.EqualTo(PredictionRun.Kept).And.Unique);
            Assert.That(chosen.Select(i => Array.IndexOf(logits[i], logits[i].Max())), Is.EqualTo(chosen.Select(i => (int)targets[i])), "only correct predictions");
            Assert.That(Samples(again), Is.EqualTo(chosen));
            Assert.That(Samples(other), Is.Not.EqualTo(chosen));
        });
    }

    [Test]
    public void The_png_files_decode_at_the_size_the_tensorboard_images_record()
    {
        // Arrange
        using var run = new PredictionRun();
        var images = Values(run.EventFile).Where(v => v.Has(4)).GroupBy(v => v.Text(1)).ToDictionary(g => g.Key, g => g.Last().Sub(4));

        // Act
        var matrix = PngImage.Decode(File.ReadAllBytes(run.File("validation-epoch-0002-confusion.png")));
        var worst = PngImage.Decode(File.ReadAllBytes(run.File("validation-epoch-0002-worst.png")));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(images.Keys, Is.SupersetOf(new[] { "validation/confusion_matrix", "validation/worst_predictions", "validation/correct_predictions" }));
            Assert.That(matrix, Is.EqualTo(((int)images["validation/confusion_matrix"].Number(2), (int)images["validation/confusion_matrix"].Number(1))));
            Assert.That(worst, Is.EqualTo(((int)images["validation/worst_predictions"].Number(2), (int)images["validation/worst_predictions"].Number(1))));
            Assert.That(PngImage.Decode(images["validation/worst_predictions"].Bytes(4)), Is.EqualTo(worst));
            Assert.That(matrix.Width, Is.GreaterThan(3 * 20));
        });
    }

    [Test]
    public void An_independent_reader_finds_pr_curves_images_scalars_and_hparams_in_the_event_file()
    {
        // Arrange
        using var run = new PredictionRun();
        var (logits, targets) = run.Reference();
        var probabilities = logits.Select(PredictionRun.Softmax).ToArray();
        const int n = PredictionRun.Thresholds;

        // Act
        var values = Values(run.EventFile).ToList();
        var curves = values.Where(v => v.Sub(9).Sub(1).Text(1) == "pr_curves").ToList();
        var bee = curves.Last(v => v.Text(1) == "validation/pr_curve/bee");
        var rows = bee.Sub(8).Floats(5);
        var shape = bee.Sub(8).Sub(2).All(2).Select(d => (long)d.Number(1)).ToList();
        var thresholds = bee.Sub(9).Sub(1).Sub(2).Number(2);
        var positives = targets.Count(t => t == 1);
        var truePositivesAtHalf = Enumerable.Range(0, targets.Length).Count(i => targets[i] == 1 && Math.Floor(probabilities[i][1] * (n - 1)) >= 5);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(curves.Select(v => v.Text(1)).Distinct(), Is.EquivalentTo(new[] { "validation/pr_curve/ant", "validation/pr_curve/bee", "validation/pr_curve/cat" }));
            Assert.That(curves, Has.Count.EqualTo(6), "three classes, two epochs");
            Assert.That(shape, Is.EqualTo(new long[] { 6, n }));
            Assert.That(thresholds, Is.EqualTo((ulong)n));
            Assert.That(rows, Has.Length.EqualTo(6 * n));
            Assert.That(rows[0] + rows[(3 * n)], Is.EqualTo(positives), "TP + FN at threshold 0");
            Assert.That(rows[0] + rows[n] + rows[2 * n] + rows[3 * n], Is.EqualTo(PredictionRun.ValidSamples));
            Assert.That(rows[5], Is.EqualTo(truePositivesAtHalf), "TP at threshold 0.5");
            Assert.That(rows[(5 * n) + 5], Is.EqualTo(truePositivesAtHalf / (double)positives).Within(1e-6), "recall at 0.5");
            Assert.That(values.Where(v => v.Has(2)).Select(v => v.Text(1)), Does.Contain("validation/loss").And.Contain("train/accuracy"));
            Assert.That(values.Count(v => v.Sub(9).Sub(1).Text(1) == "hparams"), Is.EqualTo(3), "experiment, session start and end");
            Assert.That(values.Count(v => v.Has(4)), Is.EqualTo(6), "three images per validation epoch");
        });
    }

    // Every summary value of every event (Event.summary = 5, Summary.value = 1), decoded by hand.
    private static IEnumerable<RawRecords.Message> Values(string eventFile) =>
        RawRecords.Read(eventFile).Select(r => new RawRecords.Message(r)).Where(e => e.Has(5)).SelectMany(e => e.Sub(5).All(1));
}
