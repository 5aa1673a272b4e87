using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TinyDl.Parity.Independent;
using TorchSharp;
using static TorchSharp.torch;

// The independent contender's whole program, for the parity benchmark's whole-process mode: what the
// Fashion-MNIST example does (train on 55,000 images, validate on 5,000 held out, checkpoint the last
// and the best weights and write a manifest every epoch, test the best weights once), written with
// TorchSharp alone. Usage: TinyDl.Parity.Independent --epochs N --out DIR [--data DIR] [--seed N]
var epochs = 5;
var output = "runs/independent";
var data = "/usr/share/datasets/fashion-mnist";
var seed = 42L;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--epochs": epochs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--out": output = args[i + 1]; break;
        case "--data": data = args[i + 1]; break;
        case "--seed": seed = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var clock = Stopwatch.StartNew();
Directory.CreateDirectory(output);
manual_seed(seed);
using var images = IdxFile.Images(Path.Combine(data, "train-images-idx3-ubyte.gz"));
using var labels = IdxFile.Labels(Path.Combine(data, "train-labels-idx1-ubyte.gz"));
using var testX = IdxFile.Images(Path.Combine(data, "t10k-images-idx3-ubyte.gz"));
using var testY = IdxFile.Labels(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));

// Hold out 5,000 training images for validation, in a seeded random order.
const int validationSize = 5000;
using var split = randperm(images.size(0), generator: new Generator(unchecked((ulong)seed)));
using var validIndices = split.narrow(0, 0, validationSize);
using var trainIndices = split.narrow(0, validationSize, images.size(0) - validationSize);
using var trainX = images.index_select(0, trainIndices);
using var trainY = labels.index_select(0, trainIndices);
using var validX = images.index_select(0, validIndices);
using var validY = labels.index_select(0, validIndices);

var model = nn.Sequential(("hidden", nn.Linear(784, 256)), ("relu", nn.ReLU()), ("output", nn.Linear(256, 10)));
using var training = new IndependentTraining(model, 1e-3, seed);
var history = new List<Dictionary<string, double>>();
var bestLoss = double.PositiveInfinity;
var bestEpoch = 0;
using var csv = new StreamWriter(Path.Combine(output, "metrics.csv"));
csv.WriteLine("epoch,train_loss,train_accuracy,validation_loss,validation_accuracy");
for (var epoch = 1; epoch <= epochs; epoch++)
{
    var started = clock.Elapsed;
    var train = training.Train(trainX, trainY, 64);
    var valid = training.Evaluate(validX, validY, 1000);
    history.Add(new() { ["epoch"] = epoch, ["train_loss"] = train.Loss, ["train_accuracy"] = train.Accuracy, ["validation_loss"] = valid.Loss, ["validation_accuracy"] = valid.Accuracy });
    csv.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{epoch},{train.Loss},{train.Accuracy},{valid.Loss},{valid.Accuracy}"));
    csv.Flush();

    // The last weights and optimizer state every epoch, the best when the validation loss improved;
    // each file written aside and renamed, so a killed process leaves the previous one whole.
    Save(Path.Combine(output, "last.model"), path => model.save(path));
    Save(Path.Combine(output, "last.optimizer"), path => ((TorchSharp.Modules.OptimizerHelper)training.Optimizer).save_state_dict(path));
    if (valid.Loss < bestLoss)
    {
        bestLoss = valid.Loss;
        bestEpoch = epoch;
        File.Copy(Path.Combine(output, "last.model"), Path.Combine(output, "best.model.tmp"), overwrite: true);
        File.Move(Path.Combine(output, "best.model.tmp"), Path.Combine(output, "best.model"), overwrite: true);
    }

    WriteManifest("running", null);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"epoch {epoch}: train loss {train.Loss:F4} accuracy {train.Accuracy:F4}, validation loss {valid.Loss:F4} accuracy {valid.Accuracy:F4}, {(clock.Elapsed - started).TotalSeconds:F2} s"));
}

model.load(Path.Combine(output, "best.model"));
var test = training.Evaluate(testX, testY, 1000);
Save(Path.Combine(output, "model.bin"), path => model.save(path));
WriteManifest("completed", test);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Test set (best weights, from epoch {bestEpoch}): accuracy {test.Accuracy:F4}, loss {test.Loss:F4}"));
return 0;

void WriteManifest(string status, EpochResult? testResult)
{
    var manifest = new Dictionary<string, object?>
    {
        ["status"] = status,
        ["hyperparameters"] = new Dictionary<string, object> { ["lr"] = 1e-3, ["hidden"] = 256, ["batch_size"] = 64, ["seed"] = seed },
        ["best_epoch"] = bestEpoch,
        ["epochs"] = history,
        ["test"] = testResult is { } t ? new Dictionary<string, double> { ["loss"] = t.Loss, ["accuracy"] = t.Accuracy } : null,
        ["seconds"] = clock.Elapsed.TotalSeconds,
    };
    Save(Path.Combine(output, "run.json"), path => File.WriteAllText(path, JsonSerializer.Serialize(manifest)));
}

static void Save(string path, Action<string> write)
{
    var temporary = path + ".tmp";
    write(temporary);
    File.Move(temporary, path, overwrite: true);
}
