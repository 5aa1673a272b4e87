namespace TinyDl.Internal;

/// <summary>
/// A minimal subject for events raised on one thread: observers in an immutable array (subscribe and
/// unsubscribe copy it), so raising an event is a loop without locks or allocation.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed class EventSubject<T> : IObservable<T>
{
    private IObserver<T>[] _observers = [];
    private readonly Lock _gate = new();
    private bool _stopped;

    public bool HasObservers => _observers.Length > 0;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        if (_stopped)
        {
            observer.OnCompleted();
            return Unsubscriber.None;
        }

        lock (_gate)
        {
            _observers = [.. _observers, observer];
        }

        return new Unsubscriber(this, observer);
    }

    /// <summary>Raises an event; an exception from an observer stops the loop and propagates.</summary>
    public void OnNext(T value)
    {
        foreach (var observer in _observers)
        {
            observer.OnNext(value);
        }
    }

    /// <summary>Raises an event to every observer even if some throw; returns what they threw.</summary>
    public List<Exception> OnNextToAll(T value)
    {
        var errors = new List<Exception>();
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnNext(value);
            }
            catch (Exception error)
            {
                errors.Add(error);
            }
        }

        return errors;
    }

    public void OnCompleted() => Stop(o => o.OnCompleted());

    public void OnError(Exception error) => Stop(o => o.OnError(error));

    private void Stop(Action<IObserver<T>> end)
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        var observers = _observers;
        _observers = [];
        foreach (var observer in observers)
        {
            try
            {
                end(observer);
            }
            catch (Exception)
            {
                // The stream is ending; an observer failing to take its end must not hide the run's outcome.
            }
        }
    }

    private void Remove(IObserver<T> observer)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_observers, observer);
            if (index >= 0)
            {
                _observers = [.. _observers[..index], .. _observers[(index + 1)..]];
            }
        }
    }

    private sealed class Unsubscriber(EventSubject<T>? subject, IObserver<T>? observer) : IDisposable
    {
        public static readonly Unsubscriber None = new(null, null);

        public void Dispose()
        {
            if (subject is not null && observer is not null)
            {
                subject.Remove(observer);
            }
        }
    }
}
