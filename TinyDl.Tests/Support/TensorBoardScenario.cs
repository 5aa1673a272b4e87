using Tensorboard;
using TinyDl.Reporters;

namespace TinyDl.Tests.Support;

/// <summary>
/// A <see cref="TensorBoardReporter"/> attached to a run (a <see cref="FakeRun"/> unless given one),
/// writing into a fresh temporary run directory on a manual clock; disposing it removes the directory.
/// </summary>
internal sealed class TensorBoardScenario : IDisposable
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"tinydl-tensorboard-{Guid.NewGuid():N}");
    private readonly ManualClock _clock = new() { Now = Start };
    private IDisposable _subscription;

    public TensorBoardScenario(int stepInterval = 0, IRunEvents? run = null)
    {
        RunDirectory = Path.Combine(_root, "lr=0.001_hidden=256");
        Reporter = new TensorBoardReporter(RunDirectory) { TimeProvider = _clock, StepInterval = stepInterval };
        _subscription = Reporter.AttachTo(run ?? Run);
    }

    public static double StartSeconds => Start.ToUnixTimeSeconds();

    public static Experiment SampleExperiment { get; } = new(
    [
        new("lr", 0.001), new("hidden", 256), new("optimizer", "adam"), new("nesterov", true), new("dropout", 0.1f), new("seed", 7L),
    ]);

    public FakeRun Run { get; private set; } = new();

    public TensorBoardReporter Reporter { get; }

    public string RunDirectory { get; }

    public DateTimeOffset Now
    {
        get => _clock.Now;
        set => _clock.Now = value;
    }

    /// <summary>Two epochs of train then validation, 100 steps each, with loss and accuracy, ending with <paramref name="status"/>.</summary>
    public void RunTwoEpochs(RunStatus status = RunStatus.Completed)
    {
        Run.Start(SampleExperiment, epochs: 2);
        Run.Epoch(Stage.Train, 1, 100, FakeRun.Values(("loss", 0.9, false), ("accuracy", 0.6, true)));
        Run.Epoch(Stage.Validation, 1, 100, FakeRun.Values(("loss", 0.8, false), ("accuracy", 0.65, true)));
        Run.Epoch(Stage.Train, 2, 200, FakeRun.Values(("loss", 0.5, false), ("accuracy", 0.8, true)));
        Run.Epoch(Stage.Validation, 2, 200, FakeRun.Values(("loss", 0.6, false), ("accuracy", 0.75, true)));
        Run.End(status, 2, 200, status == RunStatus.Failed ? new InvalidOperationException("Training diverged.") : null);
    }

    /// <summary>Attaches the reporter to a new <see cref="FakeRun"/>, as when one reporter serves several runs.</summary>
    public void NextRun()
    {
        _subscription.Dispose();
        Run = new FakeRun();
        _subscription = Reporter.AttachTo(Run);
    }

    /// <summary>The event files in the order they were created (their names end with a counter, compared as a number).</summary>
    public IReadOnlyList<string> Files() =>
        [.. Directory.GetFiles(RunDirectory).OrderBy(f => long.Parse(f[(f.LastIndexOf('.') + 1)..], System.Globalization.CultureInfo.InvariantCulture))];

    public IReadOnlyList<Event> ReadSingleFile() => EventFileReader.Read(Files().Single());

    public static List<(string Tag, long Step, double Value)> Scalars(IEnumerable<Event> events) =>
        EventFileReader.Values(events)
            .Where(v => v.Value.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue)
            .Select(v => (v.Value.Tag, v.Step, (double)v.Value.SimpleValue))
            .ToList();

    /// <summary>The decoded <c>HParamsPluginData</c> of the one hparams record tagged <paramref name="tag"/>.</summary>
    public static ProtoFields HParams(IEnumerable<Event> events, string tag)
    {
        var metadata = EventFileReader.Values(events).Single(v => v.Value.Tag == tag).Value.Metadata;
        return metadata.PluginData.PluginName == "hparams"
            ? ProtoFields.Parse(metadata.PluginData.Content)
            : throw new InvalidDataException($"'{tag}' belongs to plugin '{metadata.PluginData.PluginName}'.");
    }

    /// <summary>Opens the file for exclusive access, which fails while a writer still holds it.</summary>
    public static void OpenExclusively(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }

    public void Dispose()
    {
        _subscription.Dispose();
        Reporter.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
