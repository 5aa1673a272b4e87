// Usage: TinyDl.Tests.KillTarget <runs root> <epochs> [--resume]
// Trains KillTargetRun's model with a CSV log, checkpoints and a user-defined stateful participant (a
// batch counter saved in the checkpoints) in <runs root>/lr=0.001/. Prints "started" when training starts
// and "<stage> <epoch> completed" after each stage's epoch; when all epochs are done, saves model.bin
// and final.txt (metrics, round-trip, and the counter). Without --resume, an earlier run is kept aside.
using System.Globalization;
using TinyDl;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TinyDl.Tests.KillTarget;
using static TorchSharp.torch;

var root = args[0];
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
var experiment = new Experiment([new("lr", 1e-3)]);
using var directory = RunDirectory.Open(root, experiment);
var checkpoints = new Checkpointer(directory.Checkpoints)
{
    KeepBest = 2,
    Fingerprints = new Dictionary<Stage, string> { [Stage.Train] = "synthetic-42-9600", [Stage.Validation] = "synthetic-42-2000" },
};
var from = resume ? checkpoints.ResumePoint(ResumeMode.IfAvailable) : null;
if (!resume)
{
    directory.KeepAside();
}

using var runner = new Runner(trainer, validator) { Experiment = experiment };
using var csv = new CsvReporter(Path.Combine(directory.Path, "metrics.csv"));
var counter = new BatchCounter();
using var attached = runner.Attach(csv, counter, checkpoints);
runner.RunStarted.Subscribe(e => Console.WriteLine($"started {e.Epoch}"));
runner.EpochCompleted.Subscribe(e => Console.WriteLine($"{e.Stage.ToName()} {e.Epoch} completed")); // before its checkpoint is written

var result = runner.Run(epochs, from);
if (result.Status == RunStatus.Completed)
{
    ModelFile.Save(model, Path.Combine(directory.Path, "model.bin"));
    var lines = result.Final.OrderBy(kv => kv.Key).SelectMany(kv => kv.Value.Select(v => $"{kv.Key.ToName()} {v.Name} {v.Value.ToString("R", CultureInfo.InvariantCulture)}"));
    File.WriteAllLines(Path.Combine(directory.Path, "final.txt"), [$"epoch {result.Epoch} step {result.GlobalStep}", $"counter {counter.Batches} {counter.Epochs}", .. lines]);
}

Console.WriteLine("done");
