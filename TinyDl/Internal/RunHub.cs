using System.Reactive.Disposables;

namespace TinyDl.Internal;

/// <summary>
/// The streams, stop requests and checkpoint states behind one <see cref="IRunEvents"/> (a runner's, a
/// trainer's or a validator's). A runner links its stages' hubs to its own: their stage events are
/// passed on to the runner's streams, and states and stop requests go to the runner's hub.
/// </summary>
internal sealed class RunHub : IRunEvents
{
    private readonly List<IStateful> _states = [];
    private RunHub? _owner;
    private RunLoop? _active;
    private string? _pendingStop;

    public EventSubject<RunStarted> RunStartedSubject { get; } = new();

    public EventSubject<EpochStarted> EpochStartedSubject { get; } = new();

    public EventSubject<BatchCompleted> BatchCompletedSubject { get; } = new();

    public EventSubject<EpochCompleted> EpochCompletedSubject { get; } = new();

    public EventSubject<EpochEnded> EpochEndedSubject { get; } = new();

    public EventSubject<RunCompleted> RunCompletedSubject { get; } = new();

    public IObservable<RunStarted> RunStarted => RunStartedSubject;

    public IObservable<EpochStarted> EpochStarted => EpochStartedSubject;

    public IObservable<BatchCompleted> BatchCompleted => BatchCompletedSubject;

    public IObservable<EpochCompleted> EpochCompleted => EpochCompletedSubject;

    public IObservable<EpochEnded> EpochEnded => EpochEndedSubject;

    public IObservable<RunCompleted> RunCompleted => RunCompletedSubject;

    public IReadOnlyList<IStateful> States => _owner is null ? [.. _states] : _owner.States;

    /// <summary>The run in progress on this hub, if any; set by <see cref="RunLoop"/>.</summary>
    public RunLoop? Active
    {
        get => _owner?.Active ?? _active;
        set => _active = value;
    }

    public void RequestStop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        if (_owner is not null)
        {
            _owner.RequestStop(reason);
        }
        else if (_active is { } loop)
        {
            loop.RequestStop(reason);
        }
        else
        {
            Interlocked.CompareExchange(ref _pendingStop, reason, null);
        }
    }

    /// <summary>Takes the stop requested before the run started, if any.</summary>
    public string? TakePendingStop() => Interlocked.Exchange(ref _pendingStop, null);

    public IDisposable AddState(IStateful state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_owner is not null)
        {
            return _owner.AddState(state);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(state.StateName, nameof(state));
        lock (_states)
        {
            if (_states.Any(s => s.StateName == state.StateName))
            {
                throw new ArgumentException($"The run already has a state named '{state.StateName}'; give each state of a run its own name.", nameof(state));
            }

            _states.Add(state);
        }

        return Disposable.Create(() =>
        {
            lock (_states)
            {
                _states.Remove(state);
            }
        });
    }

    /// <summary>
    /// Makes this hub part of <paramref name="owner"/>'s run: its stage events are raised on the owner's
    /// streams too, and states and stop requests go to the owner. Returns the forwarding subscriptions.
    /// </summary>
    public IDisposable LinkTo(RunHub owner)
    {
        foreach (var state in _states)
        {
            owner.AddState(state);
        }

        _states.Clear();
        if (TakePendingStop() is { } reason)
        {
            owner.RequestStop(reason);
        }

        _owner = owner;
        return new CompositeDisposable(
            EpochStarted.Subscribe(new Forward<EpochStarted>(owner.EpochStartedSubject)),
            BatchCompleted.Subscribe(new Forward<BatchCompleted>(owner.BatchCompletedSubject)),
            EpochCompleted.Subscribe(new Forward<EpochCompleted>(owner.EpochCompletedSubject)),
            Disposable.Create(() => _owner = null));
    }

    /// <summary>
    /// Ends every stream: OnCompleted, or OnError for a failed run. Each stream ends even when an observer
    /// of another throws (as an observer subscribed without an error handler rethrows the run's error, as Rx
    /// does); an observer's exception other than the run's own error is rethrown once all streams ended.
    /// </summary>
    public void Complete(Exception? error)
    {
        Exception? other = null;
        void End(Action end)
        {
            try
            {
                end();
            }
            catch (Exception thrown) when (!ReferenceEquals(thrown, error))
            {
                other ??= thrown;
            }
            catch (Exception)
            {
                // The run's own error, rethrown by an observer without an error handler; the run throws it anyway.
            }
        }

        if (error is null)
        {
            End(RunStartedSubject.OnCompleted);
            End(EpochStartedSubject.OnCompleted);
            End(BatchCompletedSubject.OnCompleted);
            End(EpochCompletedSubject.OnCompleted);
            End(EpochEndedSubject.OnCompleted);
            End(RunCompletedSubject.OnCompleted);
        }
        else
        {
            End(() => RunStartedSubject.OnError(error));
            End(() => EpochStartedSubject.OnError(error));
            End(() => BatchCompletedSubject.OnError(error));
            End(() => EpochCompletedSubject.OnError(error));
            End(() => EpochEndedSubject.OnError(error));
            End(() => RunCompletedSubject.OnError(error));
        }

        if (other is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(other);
        }
    }

    // A stage's events go on to the runner's stream; the stage's stream ending does not end the runner's.
    private sealed class Forward<T>(EventSubject<T> target) : IObserver<T>
    {
        public void OnNext(T value) => target.OnNext(value);

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }
    }
}
