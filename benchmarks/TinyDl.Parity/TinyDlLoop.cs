using System.Diagnostics;
using Spectre.Console;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Parity;

/// <summary>The same training through TinyDl's Runner, with loss and accuracy on both stages and all reporters attached.</summary>
internal static class TinyDlLoop
{
    public static List<EpochSample> Run(Workload workload, int epochs, bool reporters)
    {
        var model = workload.CreateModel();
        var optimizer = optim.Adam(model.parameters(), workload.LearningRate);
        var criterion = nn.CrossEntropyLoss();
        using var trainer = new Trainer(model, workload.TrainBatches(), optimizer, criterion, [new Loss(), new Accuracy()]);
        using var validator = new Validator(model, workload.TestBatches(), criterion, [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator);

        var directory = Directory.CreateTempSubdirectory("tinydl-parity-");
        var attached = new List<IDisposable>();
        var owned = new List<Reporter>();
        if (reporters)
        {
            // The console table writes to a redirected console, as in a CI log.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
            owned.AddRange([new ConsoleTableReporter(console), new CsvReporter(Path.Combine(directory.FullName, "metrics.csv")), new TensorBoardReporter(directory.FullName)]);
            attached.AddRange(owned.Select(r => r.AttachTo(runner)));
        }

        var samples = new List<EpochSample>();
        var watch = Stopwatch.StartNew();
        MetricValues? train = null;
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train)
            {
                train = e.Metrics;
                return;
            }

            samples.Add(Measure.Sample(e.Epoch, watch.Elapsed.TotalSeconds, train!["loss"], train["accuracy"], e.Metrics["loss"], e.Metrics["accuracy"]));
            watch.Restart();
        });

        runner.Run(epochs);
        attached.ForEach(a => a.Dispose());
        owned.ForEach(r => r.Dispose());
        directory.Delete(recursive: true);
        return samples;
    }
}
