using System.Reactive.Subjects;

namespace TinyDl.Tests.Support;

/// <summary>A run whose events a test raises by hand, for testing reporters without training.</summary>
internal sealed class FakeRun : IRunEvents
{
    public Subject<RunStarted> RunStartedSubject { get; } = new();

    public Subject<EpochStarted> EpochStartedSubject { get; } = new();

    public Subject<BatchCompleted> BatchCompletedSubject { get; } = new();

    public Subject<EpochCompleted> EpochCompletedSubject { get; } = new();

    public Subject<RunCompleted> RunCompletedSubject { get; } = new();

    public IObservable<RunStarted> RunStarted => RunStartedSubject;

    public IObservable<EpochStarted> EpochStarted => EpochStartedSubject;

    public IObservable<BatchCompleted> BatchCompleted => BatchCompletedSubject;

    public IObservable<EpochCompleted> EpochCompleted => EpochCompletedSubject;

    public IObservable<RunCompleted> RunCompleted => RunCompletedSubject;

    public static MetricValues Values(params (string Name, double Value, bool HigherIsBetter)[] values) =>
        new(values.Select(v => new MetricValue(v.Name, v.Value, v.HigherIsBetter)));

    public void Start(Experiment? experiment = null, int epochs = 3, int firstEpoch = 1, params Stage[] stages) =>
        RunStartedSubject.OnNext(new RunStarted(Stage.Train, firstEpoch, (firstEpoch - 1) * 10, TimeSpan.Zero, experiment, epochs, stages.Length == 0 ? [Stage.Train, Stage.Validation] : stages));

    public void Epoch(Stage stage, int epoch, long globalStep, MetricValues metrics, double seconds = 1.5) =>
        EpochCompletedSubject.OnNext(new EpochCompleted(stage, epoch, globalStep, TimeSpan.FromSeconds(epoch * 2), metrics, TimeSpan.FromSeconds(seconds), 10, 100));

    public void End(RunStatus status, int epoch, long globalStep, Exception? error = null)
    {
        RunCompletedSubject.OnNext(new RunCompleted(Stage.Train, epoch, globalStep, TimeSpan.FromSeconds(10), status, new Dictionary<Stage, MetricValues>(), new Dictionary<Stage, MetricValues>(), error));
        if (error is null)
        {
            RunStartedSubject.OnCompleted();
            EpochStartedSubject.OnCompleted();
            BatchCompletedSubject.OnCompleted();
            EpochCompletedSubject.OnCompleted();
            RunCompletedSubject.OnCompleted();
        }
        else
        {
            RunStartedSubject.OnError(error);
            EpochStartedSubject.OnError(error);
            BatchCompletedSubject.OnError(error);
            EpochCompletedSubject.OnError(error);
            RunCompletedSubject.OnError(error);
        }
    }
}
