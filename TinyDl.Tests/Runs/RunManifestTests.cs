using System.Text;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

public sealed class RunManifestTests : TemporaryDirectoryTests
{
    [Test]
    public void A_manifest_round_trips_through_json()
    {
        // Arrange
        var manifest = RunDirectories.Write(TestDirectory, "one", lr: 0.001, hidden: 256, bestAccuracy: 0.9, finalAccuracy: double.NaN, bestLoss: 0.25);

        // Act
        var read = RunManifest.Read(Path.Combine(TestDirectory, "one", "run.json"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(read.ToUtf8Json(), Is.EqualTo(manifest.ToUtf8Json()));
            Assert.That(read.Hyperparameters["hidden"], Is.EqualTo(256L));
            Assert.That(read.Metrics["validation_accuracy"].Final, Is.NaN);
        });
    }

    [TestCase("", "the manifest is empty (the run may have been killed before writing it).")]
    [TestCase("null", "the manifest is JSON null.")]
    [TestCase("{\"formatVersion\": 0, \"name\": \"x\", \"status\": \"completed\", \"startedAt\": \"2025-01-01T00:00:00Z\"}", "the manifest has an invalid format version 0.")]
    [TestCase("{\"formatVersion\": 1, \"name\": \"x\", \"status\": \"finished\", \"startedAt\": \"2025-01-01T00:00:00Z\"}", "the manifest is not valid: The JSON value could not be converted to TinyDl.Runs.RunManifest. Path: $.status")]
    [TestCase("{\"formatVersion\": 1, \"name\": \"x\", \"startedAt\": \"2025-01-01T00:00:00Z\"}", "the manifest is not valid: JSON deserialization for type 'TinyDl.Runs.RunManifest' was missing required properties including: 'status'.")]
    public void A_manifest_that_cannot_be_read_says_why(string json, string reason)
    {
        // Act
        var error = Assert.Throws<InvalidDataException>(() => RunManifest.Parse(Encoding.UTF8.GetBytes(json)));

        // Assert
        Assert.That(error!.Message, Does.StartWith(reason));
    }
}
