// Usage: TinyDl.Tests.KillTarget <run directory> <epochs> [--resume]
// Trains KillTargetRun's model with a CSV log and checkpoints in the run directory. Prints "started"
// when training starts and "<stage> <epoch> completed" after each stage's epoch; when all epochs are done, saves model.bin and final.txt (metrics, round-trip).
using System.Globalization;
using TinyDl;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Tests.KillTarget;
using static TorchSharp.torch;

var runDirectory = args[0];
var epochs = int.Parse(args[1], CultureInfo.InvariantCulture);
var resume = args.Contains("--resume");

set_num_threads(1);
Seed.Everything(KillTargetRun.Seed);
var (x, y, validX, validY) = KillTargetRun.Data();
var model = KillTargetRun.Model();
var optimizer = KillTargetRun.Optimizer(model);
var loss = nn.CrossEntropyLoss();
using var trainer = new Trainer(model, new TensorBatches(x, y, 32, shuffle: true, seed: KillTargetRun.Seed), optimizer, loss, [new Loss(), new Accuracy()]);
using var validator = new Validator(model, new TensorBatches(validX, validY, 250), loss, [new Loss(), new Accuracy()]);
var checkpoints = new Checkpointer(Path.Combine(runDirectory, "checkpoints"))
{
    KeepBest = 2,
    Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "synthetic-42-9600", [Stage.Validation] = "synthetic-42-2000" },
};
using var runner = new Runner(trainer, validator) { Experiment = new Experiment([new("lr", 1e-3)]), Checkpoints = checkpoints };
using var csv = new CsvReporter(Path.Combine(runDirectory, "metrics.csv"));
using var attached = csv.AttachTo(runner);
runner.RunStarted.Subscribe(e => Console.WriteLine($"started {e.Epoch}"));
runner.EpochCompleted.Subscribe(e => Console.WriteLine($"{e.Stage.ToName()} {e.Epoch} completed")); // before its checkpoint is written

var result = runner.Run(epochs, resume);
if (result.Status == RunStatus.Completed)
{
    ModelFile.Save(model, Path.Combine(runDirectory, "model.bin"));
    var lines = result.Final.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value.Select(v => $"{kv.Key.ToName()} {v.Name} {v.Value.ToString("R", CultureInfo.InvariantCulture)}"));
    File.WriteAllLines(Path.Combine(runDirectory, "final.txt"), [$"epoch {result.Epoch} step {result.GlobalStep}", .. lines]);
}

Console.WriteLine("done");
