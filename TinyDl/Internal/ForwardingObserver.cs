namespace TinyDl.Internal;

/// <summary>
/// Passes a trainer's or validator's events on to the run's own stream. Their streams end when they
/// are disposed; the run's streams end with the run, so completion and errors are not passed on.
/// </summary>
/// <typeparam name="T">The event type.</typeparam>
internal sealed class ForwardingObserver<T>(EventSubject<T> target) : IObserver<T>
{
    public void OnNext(T value) => target.OnNext(value);

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }
}
