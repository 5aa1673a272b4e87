using Spectre.Console;
using TinyDl;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TinyDl.Runs;
using TorchSharp;
using static TorchSharp.torch;

// Its own namespace, as in a user's application: nothing of TinyDl is in scope without a using.
namespace PackedApp;

/// <summary>
/// The application that <c>PackageTests</c> builds outside the repository from the packed packages
/// only (this file and a one-line Program.cs): one epoch on synthetic data with the console table, CSV
/// and TensorBoard reporters and the run manifest, using the API as README shows it. Compiled into the
/// tests as well, so an API change breaks the build here before the packed-app test runs.
/// </summary>
public static class TrainOneEpoch
{
    /// <summary>Trains into the directory <c>args[0]</c>.</summary>
    /// <returns>0, or 1 after one error line when TorchSharp's native library cannot load.</returns>
    public static int Run(string[] args)
    {
        var root = args[0];
        try
        {
            Seed.Everything(42);
            var grid = new Hyperparameter { { "lr", 0.1 }, { "hidden", 16 } };
            foreach (var experiment in grid.GetExperiments())
            {
                var (x, y) = Data(256, seed: 1);
                var (validX, validY) = Data(64, seed: 2);
                var hidden = experiment.Get<int>("hidden");
                var model = nn.Sequential(("hidden", nn.Linear(4, hidden)), ("relu", nn.ReLU()), ("output", nn.Linear(hidden, 3)));
                var optimizer = optim.SGD(model.parameters(), experiment.Get<double>("lr"));
                var loss = nn.CrossEntropyLoss();

                using var trainer = new Trainer(model, new TensorBatches(x, y, batchSize: 32, shuffle: true, seed: 42), optimizer, loss, [new Loss(), new Accuracy()]);
                using var validator = new Validator(model, new TensorBatches(validX, validY, batchSize: 64), loss, [new Loss(), new Accuracy()]);
                using var runner = new Runner(trainer, validator) { Experiment = experiment };

                var directory = Path.Combine(root, experiment.Name);
                using var table = new ConsoleTableReporter(AnsiConsole.Console);
                using var csv = new CsvReporter(Path.Combine(directory, "metrics.csv"));
                using var tensorBoard = new TensorBoardReporter(directory);
                using var manifest = new ManifestWriter(directory, model);
                using var attached = runner.Attach(table, csv, tensorBoard, manifest);

                RunCompleted result = runner.Run(epochs: 1);
                Console.WriteLine($"{experiment.Name}: {result.Status}");
            }

            return 0;
        }
        catch (DllNotFoundException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }

    // Four features, three classes, learnable by a linear model.
    private static (Tensor Inputs, Tensor Targets) Data(int samples, long seed)
    {
        using var generator = new Generator((ulong)seed);
        var inputs = randn([samples, 4], generator: generator);
        var projection = tensor(new float[] { 1, -1, 0.5f, 0, 1, -0.5f, -1, 0, 1, 0.5f, 0.5f, 0 }).reshape(4, 3);
        return (inputs, inputs.matmul(projection).argmax(1));
    }
}
