using System.Globalization;
using Spectre.Console;
using TinyDl;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>One training run of the example: model, data, metrics and reporters for one experiment.</summary>
internal static class FashionMnistRun
{
    /// <summary>Trains and validates the MLP of <paramref name="experiment"/>, reporting under <c>--out/&lt;name&gt;/</c>.</summary>
    public static RunCompleted Run(Experiment experiment, Options options, FashionMnistData data, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var seed = experiment.Get<long>("seed");
        Seed.Everything(seed);
        var device = Runner.DefaultDevice;

        // Move the model before creating its optimizer: the optimizer keeps the tensors it is given.
        var model = CreateModel(experiment.Get<int>("hidden")).to(device);
        var optimizer = optim.Adam(model.parameters(), experiment.Get<double>("lr"));
        var loss = nn.CrossEntropyLoss();
        var train = new TensorBatches(data.Train.Images.to(device), data.Train.Labels.to(device), experiment.Get<int>("batch_size"), shuffle: true, seed: seed);
        var test = new TensorBatches(data.Test.Images.to(device), data.Test.Labels.to(device), options.ValidBatchSize);

        using var trainer = new Trainer(model, train, optimizer, loss, [new Loss(), new Accuracy()]);
        using var validator = new Validator(model, test, loss, [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator) { Experiment = experiment, Device = device };

        var directory = Path.Combine(options.Out, experiment.Name);
        using var table = new ConsoleTableReporter(console);
        using var csv = new CsvReporter(Path.Combine(directory, "metrics.csv"));
        using var tensorBoard = new TensorBoardReporter(directory);
        using var subscriptions = new System.Reactive.Disposables.CompositeDisposable(table.AttachTo(runner), csv.AttachTo(runner), tensorBoard.AttachTo(runner));

        return runner.Run(experiment.Get<int>("epochs"), cancellationToken);
    }

    /// <summary>Prints where the files are and, for a sweep, the experiments by validation accuracy.</summary>
    public static void Summarize(IReadOnlyList<(Experiment Experiment, RunCompleted Result)> results, Options options, IAnsiConsole console)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Runs written to {Path.GetFullPath(options.Out)} (metrics.csv and TensorBoard events per experiment; view with: tensorboard --logdir {options.Out})."));
        if (results.Count < 2)
        {
            return;
        }

        var table = new Table().AddColumns("experiment", "status", "best validation accuracy", "final validation loss");
        foreach (var (experiment, result) in results.OrderByDescending(r => Best(r.Result, "accuracy")))
        {
            table.AddRow(
                Markup.Escape(experiment.Name),
                result.Status.ToString(),
                Best(result, "accuracy").ToString("F4", CultureInfo.InvariantCulture),
                (result.Final.TryGetValue(Stage.Validation, out var final) ? final["loss"] : double.NaN).ToString("F4", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }

    private static double Best(RunCompleted result, string metric) =>
        result.Best.TryGetValue(Stage.Validation, out var best) && best.TryGetValue(metric, out var value) ? value : double.NaN;

    private static nn.Module<Tensor, Tensor> CreateModel(int hidden) => nn.Sequential(
        ("hidden", nn.Linear(FashionMnistData.Pixels, hidden)),
        ("relu", nn.ReLU()),
        ("output", nn.Linear(hidden, FashionMnistData.ClassNames.Count)));
}
