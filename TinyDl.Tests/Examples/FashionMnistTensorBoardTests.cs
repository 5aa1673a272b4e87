using TinyDl.Tests.Support;

namespace TinyDl.Tests.Examples;

/// <summary>The example's TensorBoard event file, read by the test's own TFRecord and protobuf decoder (no TorchSharp, no Google.Protobuf).</summary>
public sealed class FashionMnistTensorBoardTests : TemporaryDirectoryTests
{
    [Test]
    public void The_example_s_event_file_holds_scalars_hparams_pr_curves_and_images_for_an_independent_reader()
    {
        // Arrange
        var data = IdxFiles.WriteSubset(Path.Combine(TestDirectory, "data"), train: 600, test: 200);
        var runs = Path.Combine(TestDirectory, "runs");

        // Act
        var (exitCode, output) = ExampleProcess.Run("--epochs", "2", "--hidden", "16", "--validation-size", "100", "--data", data, "--out", runs);
        var run = Directory.GetDirectories(runs).Single();
        var eventFile = Directory.GetFiles(run, "events.out.tfevents.*").Single();
        // Event.summary = 5, Summary.value = 1; Value: tag = 1, simple_value = 2, image = 4, tensor = 8, metadata = 9 (plugin_data = 1, plugin_name = 1).
        var values = RawRecords.Read(eventFile).Select(r => new RawRecords.Message(r)).Where(e => e.Has(5)).SelectMany(e => e.Sub(5).All(1)).ToList();
        var plugins = values.Where(v => v.Has(9)).Select(v => v.Sub(9).Sub(1).Text(1)).ToList();
        var curves = values.Where(v => v.Has(9) && v.Sub(9).Sub(1).Text(1) == "pr_curves").ToList();
        var images = values.Where(v => v.Has(4)).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(values.Where(v => v.Has(2)).Select(v => v.Text(1)), Does.Contain("train/loss").And.Contain("validation/accuracy").And.Contain("test/accuracy"));
            Assert.That(plugins.Count(p => p == "hparams"), Is.EqualTo(3), "experiment, session start and session end");
            Assert.That(curves.Select(v => v.Text(1)), Does.Contain("validation/pr_curve/Shirt").And.Contain("test/pr_curve/Sneaker"));
            Assert.That(curves.Select(v => v.Sub(8).Floats(5).Length).Distinct().Single() % 6, Is.Zero, "a [6, N] tensor: TP, FP, TN, FN, precision, recall");
            Assert.That(images.Select(v => v.Text(1)), Does.Contain("validation/confusion_matrix").And.Contain("validation/worst_predictions").And.Contain("test/worst_predictions"));
            Assert.That(images.Select(v => PngImage.Decode(v.Sub(4).Bytes(4)).Width), Has.All.GreaterThan(0), "every image decodes as a PNG");
        });
    }
}
