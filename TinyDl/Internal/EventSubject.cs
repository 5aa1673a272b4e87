namespace TinyDl.Internal;

/// <summary>
/// The subject behind every stream of a run, with the terminal rules of Rx's <c>Subject&lt;T&gt;</c>:
/// after OnCompleted or OnError nothing more is delivered, and a late subscriber at once gets the same
/// OnCompleted or OnError; an exception thrown by an observer propagates to the caller (from OnNext,
/// OnCompleted or OnError alike) and the observers after it are not called. Observers are kept in an
/// immutable array (subscribing and unsubscribing copy it under a lock), so raising an event is a loop
/// without locks or allocation. <see cref="OnNextToAll"/> is the one addition: it delivers an event to
/// every observer even when some throw, so that every participant sees the end of a run.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed class EventSubject<T> : IObservable<T>
{
    private readonly Lock _gate = new();
    private IObserver<T>[] _observers = [];
    private bool _stopped;
    private Exception? _error;

    public bool HasObservers => _observers.Length > 0;

    public IDisposable Subscribe(IObserver<T> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Exception? error;
        lock (_gate)
        {
            if (!_stopped)
            {
                _observers = [.. _observers, observer];
                return new Unsubscriber(this, observer);
            }

            error = _error;
        }

        if (error is null)
        {
            observer.OnCompleted();
        }
        else
        {
            observer.OnError(error);
        }

        return Unsubscriber.None;
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

    public void OnCompleted()
    {
        foreach (var observer in Stop(null))
        {
            observer.OnCompleted();
        }
    }

    public void OnError(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        foreach (var observer in Stop(error))
        {
            observer.OnError(error);
        }
    }

    private IObserver<T>[] Stop(Exception? error)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return [];
            }

            _stopped = true;
            _error = error;
            var observers = _observers;
            _observers = [];
            return observers;
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
