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
    public static List<EpochSample> Run(Workload workload, int epochs, bool reporters, bool metrics = true, Action? beforeEachEpoch = null)
    {
        var model = workload.CreateModel();
        var optimizer = optim.Adam(model.parameters(), workload.LearningRate);
        var criterion = nn.CrossEntropyLoss();
        using var trainer = new Trainer(model, workload.TrainBatches(), optimizer, criterion, metrics ? [new Loss(), new Accuracy()] : []);
        using var validator = new Validator(model, workload.TestBatches(), criterion, metrics ? [new Loss(), new Accuracy()] : []);
        using var runner = new Runner(trainer, validator);

        var directory = Directory.CreateTempSubdirectory("tinydl-parity-");
        var attached = new List<IDisposable>();
        var owned = new List<Reporter>();
        // Reporter time: a stopwatch starts in an observer subscribed before the reporters and stops in
        // one subscribed after them, around every event the reporters handle.
        var reporterTime = new Stopwatch();
        if (reporters)
        {
            runner.EpochStarted.Subscribe(_ => reporterTime.Start());
            runner.EpochCompleted.Subscribe(_ => reporterTime.Start());
            runner.EpochEnded.Subscribe(_ => reporterTime.Start());
            // The console table writes to a redirected console, as in a CI log.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
            owned.AddRange([new ConsoleTableReporter(console), new CsvReporter(Path.Combine(directory.FullName, "metrics.csv")), new TensorBoardReporter(directory.FullName)]);
            attached.AddRange(owned.Select(r => r.AttachTo(runner)));
            runner.EpochStarted.Subscribe(_ => reporterTime.Stop());
            runner.EpochCompleted.Subscribe(_ => reporterTime.Stop());
            runner.EpochEnded.Subscribe(_ => reporterTime.Stop());
        }

        // An epoch is timed from its start to its end (EpochEnded), after every reporter has handled
        // it; beforeEachEpoch (the interleaved contenders' epochs) runs outside that time.
        var samples = new List<EpochSample>();
        var start = default(Measure.Snapshot);
        MetricValues? train = null;
        MetricValues? validation = null;
        runner.EpochStarted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train)
            {
                beforeEachEpoch?.Invoke();
                start = Measure.Start();
            }
        });
        runner.EpochCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train)
            {
                train = e.Metrics;
            }
            else
            {
                validation = e.Metrics;
            }
        });
        runner.EpochEnded.Subscribe(e =>
        {
            samples.Add(Measure.Sample(start, e.Epoch, Value(train!, "loss"), Value(train!, "accuracy"), Value(validation!, "loss"), Value(validation!, "accuracy")) with { ReporterSeconds = reporterTime.Elapsed.TotalSeconds });
            reporterTime.Reset();
        });

        runner.Run(epochs);
        attached.ForEach(a => a.Dispose());
        owned.ForEach(r => r.Dispose());
        directory.Delete(recursive: true);
        return samples;
    }

    private static double Value(MetricValues values, string name) => values.TryGetValue(name, out var value) ? value : double.NaN;
}
