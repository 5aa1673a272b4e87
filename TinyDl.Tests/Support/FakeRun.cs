using System.Reactive.Disposables;
using System.Reactive.Subjects;

namespace TinyDl.Tests.Support;

/// <summary>A run whose events a test raises by hand, for testing reporters without training.</summary>
internal sealed class FakeRun : IRunEvents
{
    private readonly List<IStateful> _states = [];
    private readonly List<EpochCompleted> _epoch = [];
    private readonly Dictionary<(Stage, string), BestValue> _best = [];
    private Stage[] _stages = [Stage.Train, Stage.Validation];
    private int _ended;

    /// <summary>Keeps the best values a resumed run starts with, as a real run does.</summary>
    public FakeRun()
    {
        RunStartedSubject.Subscribe(
            e =>
            {
                _stages = [.. e.Stages];
                _best.Clear();
                _ended = 0;
                foreach (var (stage, values) in e.Best)
                {
                    foreach (var value in values)
                    {
                        _best[(stage, value.Name)] = new BestValue(value, e.Epoch - 1);
                    }
                }
            },
            _ => { });
    }

    public Subject<RunStarted> RunStartedSubject { get; } = new();

    public Subject<EpochStarted> EpochStartedSubject { get; } = new();

    public Subject<BatchCompleted> BatchCompletedSubject { get; } = new();

    public Subject<EpochCompleted> EpochCompletedSubject { get; } = new();

    public Subject<EpochEnded> EpochEndedSubject { get; } = new();

    public Subject<RunCompleted> RunCompletedSubject { get; } = new();

    public IObservable<RunStarted> RunStarted => RunStartedSubject;

    public IObservable<EpochStarted> EpochStarted => EpochStartedSubject;

    public IObservable<BatchCompleted> BatchCompleted => BatchCompletedSubject;

    public IObservable<EpochCompleted> EpochCompleted => EpochCompletedSubject;

    public IObservable<EpochEnded> EpochEnded => EpochEndedSubject;

    public IObservable<RunCompleted> RunCompleted => RunCompletedSubject;

    public IReadOnlyList<IStateful> States => _states;

    public List<string> StopRequests { get; } = [];

    public void RequestStop(string reason) => StopRequests.Add(reason);

    public IDisposable AddState(IStateful state)
    {
        _states.Add(state);
        return Disposable.Create(() => _states.Remove(state));
    }

    public static MetricValues Values(params (string Name, double Value, bool HigherIsBetter)[] values) =>
        new(values.Select(v => new MetricValue(v.Name, v.Value, v.HigherIsBetter)));

    public void Start(Experiment? experiment = null, int epochs = 3, int firstEpoch = 1, params Stage[] stages)
    {
        _epoch.Clear();
        RunStartedSubject.OnNext(new RunStarted(firstEpoch, (firstEpoch - 1) * 10, TimeSpan.Zero, experiment, epochs, stages.Length == 0 ? [Stage.Train, Stage.Validation] : stages));
    }

    /// <summary>Raises a stage's EpochCompleted with the best values a run would attach (a strict improvement
    /// in the metric's direction), and EpochEnded when the stage is the run's last.</summary>
    public void Epoch(Stage stage, int epoch, long globalStep, MetricValues metrics, double seconds = 1.5)
    {
        foreach (var value in metrics)
        {
            if (!_best.TryGetValue((stage, value.Name), out var before) || !value.Ranked || value.IsBetterThan(before.Value.Value))
            {
                _best[(stage, value.Name)] = new BestValue(value, epoch);
            }
        }

        var best = _best.Where(kv => kv.Key.Item1 == stage).ToDictionary(kv => kv.Key.Item2, kv => kv.Value, StringComparer.Ordinal);
        var e = new EpochCompleted(stage, epoch, globalStep, TimeSpan.FromSeconds(epoch * 2), metrics, TimeSpan.FromSeconds(seconds), 10, 100) { Best = best };
        EpochCompletedSubject.OnNext(e);
        if (_epoch.Count > 0 && _epoch[0].Epoch != epoch)
        {
            _epoch.Clear();
        }

        _epoch.Add(e);
        if (_stages.Length > 0 && stage == _stages[^1])
        {
            _ended++;
            EpochEndedSubject.OnNext(new EpochEnded(epoch, globalStep, e.Elapsed, [.. _stages.Select(s => _epoch.LastOrDefault(p => p.Stage == s)).OfType<EpochCompleted>()]));
            _epoch.Clear();
        }
    }

    public void End(RunStatus status, int epoch, long globalStep, Exception? error = null)
    {
        RunCompletedSubject.OnNext(new RunCompleted(epoch, globalStep, TimeSpan.FromSeconds(10), status, new Dictionary<Stage, MetricValues>(), new Dictionary<Stage, MetricValues>(), error)
        {
            EpochsRun = _ended,
            StopReason = status == RunStatus.Stopped ? "stop requested" : null,
        });
        if (error is null)
        {
            RunStartedSubject.OnCompleted();
            EpochStartedSubject.OnCompleted();
            BatchCompletedSubject.OnCompleted();
            EpochCompletedSubject.OnCompleted();
            EpochEndedSubject.OnCompleted();
            RunCompletedSubject.OnCompleted();
        }
        else
        {
            RunStartedSubject.OnError(error);
            EpochStartedSubject.OnError(error);
            BatchCompletedSubject.OnError(error);
            EpochCompletedSubject.OnError(error);
            EpochEndedSubject.OnError(error);
            RunCompletedSubject.OnError(error);
        }
    }
}
