using System.Diagnostics;
using System.Globalization;
using System.Text;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Parity;

/// <summary>
/// What each of the example's participants adds to an epoch: a Runner with the example's MLP
/// (784-256-10) and Adam, 2 training batches and 5 validation batches of 1,000 random images per epoch
/// (so the epoch's end dominates), run bare and with one participant at a time, taking turns.
/// </summary>
internal static class ParticipantCost
{
    private static readonly string[] Parts = ["none", "checkpoints", "manifest", "csv", "tensorboard", "confusion", "grids", "curves"];

    public static string Run(int repeats, int epochs)
    {
        var labels = Enumerable.Range(0, 10).Select(i => string.Create(CultureInfo.InvariantCulture, $"class {i}")).ToArray();
        manual_seed(1);
        // The example's model, batch sizes and learning rate (as the fashion workload has them), on random images.
        var workload = new Workload("participants", rand(128, 784), randint(0, 10, [128]), rand(5000, 784), randint(0, 10, [5000]), 784, 256, 10, 64, 1000, 1e-3);
        foreach (var part in Parts)
        {
            Epoch(part, 3, labels, workload);
        }

        var times = Parts.ToDictionary(p => p, _ => new List<double>());
        for (var r = 0; r < repeats; r++)
        {
            foreach (var part in Parts)
            {
                times[part].Add(Epoch(part, epochs, labels, workload));
            }
        }

        var bare = ParityTable.Percentile(times["none"], 0.5);
        var text = new StringBuilder("| participant | ms per epoch, median (min-max) | added to the bare run |\n|---|---|---|\n");
        foreach (var part in Parts)
        {
            var median = ParityTable.Percentile(times[part], 0.5);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {part} | {median:F1} ({times[part].Min():F1}-{times[part].Max():F1}) | {median - bare:+0.0;-0.0;0.0} |"));
        }

        return text.ToString();
    }

    private static double Epoch(string part, int epochs, string[] labels, Workload workload)
    {
        var root = Directory.CreateTempSubdirectory("tinydl-participants-").FullName;
        var model = workload.CreateModel();
        var optimizer = optim.Adam(model.parameters(), workload.LearningRate);
        var loss = nn.CrossEntropyLoss();
        using var trainer = new Trainer(model, workload.TrainBatches(), optimizer, loss, [new Loss(), new Accuracy()]);
        using var validator = new Validator(model, workload.TestBatches(), loss, [new Loss(), new Accuracy(), new ConfusionMatrix(10)]);
        using var runner = new Runner(trainer, validator);
        var participants = new List<IRunParticipant>();
        var tensorBoard = part is "tensorboard" or "confusion" or "grids" or "curves" ? new TensorBoardReporter(root) : null;
        if (tensorBoard is not null)
        {
            participants.Add(tensorBoard);
        }

        participants.AddRange(part switch
        {
            "checkpoints" => [new Checkpointer(Path.Combine(root, "checkpoints")) { Monitor = "loss" }],
            "manifest" => [new ManifestWriter(root, model, new Dictionary<Stage, string> { [Stage.Train] = "benchmark" }, 1)],
            "csv" => [new CsvReporter(Path.Combine(root, "metrics.csv"))],
            "confusion" => [new ConfusionMatrixReporter(root, labels) { TensorBoard = tensorBoard }],
            "grids" => [new PredictionGridReporter(root, labels, 28, 28) { TensorBoard = tensorBoard, Seed = 1 }],
            "curves" => [new PrCurveReporter(tensorBoard!, labels)],
            _ => (IRunParticipant[])[],
        });
        double milliseconds;
        using (runner.Attach(participants))
        {
            var watch = Stopwatch.StartNew();
            runner.Run(epochs);
            milliseconds = watch.Elapsed.TotalMilliseconds / epochs;
        }

        foreach (var participant in participants.OfType<IDisposable>())
        {
            participant.Dispose();
        }

        Directory.Delete(root, recursive: true);
        return milliseconds;
    }
}
