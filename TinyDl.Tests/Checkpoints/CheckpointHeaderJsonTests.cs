using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using TinyDl.Internal;

namespace TinyDl.Tests.Checkpoints;

/// <summary>
/// The checkpoint header is written through a source-generated context; these pin it to what earlier
/// releases wrote with reflection-based serialization and the same settings, so files stay readable both ways.
/// </summary>
public sealed class CheckpointHeaderJsonTests
{
    // The settings the header was written with before the context (reflection-based metadata).
    private static readonly JsonSerializerOptions Reflection = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    [Test]
    public void The_header_is_written_byte_for_byte_as_reflection_based_serialization_writes_it()
    {
        // Arrange
        var header = Header();

        // Act
        var generated = JsonSerializer.SerializeToUtf8Bytes(header, CheckpointJsonContext.Default.CheckpointHeader);
        var reflected = JsonSerializer.SerializeToUtf8Bytes(header, Reflection);

        // Assert
        Assert.That(System.Text.Encoding.UTF8.GetString(generated), Is.EqualTo(System.Text.Encoding.UTF8.GetString(reflected)));
    }

    [Test]
    public void A_header_written_with_reflection_reads_back_through_the_context_with_its_non_finite_values()
    {
        // Arrange
        var reflected = JsonSerializer.SerializeToUtf8Bytes(Header(), Reflection);

        // Act
        var read = JsonSerializer.Deserialize(reflected, CheckpointJsonContext.Default.CheckpointHeader)!;

        // Assert
        var values = read.History[0].Metrics["validation"];
        Assert.Multiple(() =>
        {
            Assert.That(read.Epoch, Is.EqualTo(3));
            Assert.That(read.SavedAt, Is.EqualTo(new DateTimeOffset(2026, 12, 2, 17, 0, 0, TimeSpan.FromHours(1))));
            Assert.That(values[0].Value, Is.NaN);
            Assert.That(values[0].UndefinedReason, Is.EqualTo("no positives"));
            Assert.That(values[1].Value, Is.EqualTo(double.PositiveInfinity));
            Assert.That(values[1].Ranked, Is.False);
            Assert.That(read.Enumerations["train"], Is.EqualTo(3));
            Assert.That(read.Final["train"][0].HigherIsBetter, Is.True);
            Assert.That(JsonSerializer.Serialize(read, Reflection), Is.EqualTo(JsonSerializer.Serialize(Header(), Reflection)));
        });
    }

    private static CheckpointHeader Header() => new()
    {
        Epoch = 3,
        GlobalStep = 2580,
        WithinEpoch = false,
        SavedAt = new DateTimeOffset(2026, 12, 2, 17, 0, 0, TimeSpan.FromHours(1)),
        ExperimentId = "31bf620cb60a",
        ExperimentName = "lr=0.001",
        Fingerprints = new() { ["train"] = "6a7045b6", ["validation"] = "dddf904e" },
        Enumerations = new() { ["train"] = 3 },
        History =
        [
            new EpochRecord
            {
                Epoch = 1,
                GlobalStep = 860,
                Seconds = 1.25,
                Metrics = new()
                {
                    ["validation"] =
                    [
                        new MetricValue("roc_auc", double.NaN, true) { UndefinedReason = "no positives" },
                        new MetricValue("lr", double.PositiveInfinity, false) { Ranked = false },
                    ],
                },
            },
        ],
        Optimizer = "Adam",
        OptimizerNames = ["default"],
        Sections = ["model", "optimizer/default", "random"],
        Final = new() { ["train"] = [new MetricValue("accuracy", 0.8128, true)] },
    };
}
