using System.Reactive.Disposables;

namespace TinyDl;

/// <summary>
/// Base of everything that writes a run's events somewhere (console, CSV, TensorBoard). Override the
/// handlers you need; <see cref="AttachTo"/> subscribes them. Batch events are subscribed only when
/// <see cref="BatchInterval"/> is positive, so reporters that do not ask for them cost nothing per
/// batch. An exception from a handler is wrapped in a <see cref="ReporterException"/> naming the
/// reporter and stops the run; the run still raises <see cref="TinyDl.RunCompleted"/> so every
/// reporter can flush and close its files.
/// </summary>
public abstract class Reporter : IDisposable
{
    /// <summary>A display name for messages; defaults to the type's name.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>
    /// Every how many global steps <see cref="OnBatchCompleted"/> is called during training (and every
    /// how many batches during evaluation); 0, the default, means never.
    /// </summary>
    protected virtual int BatchInterval => 0;

    /// <summary>Subscribes this reporter to a run's events.</summary>
    /// <param name="run">The run, usually a <see cref="Runner"/>.</param>
    /// <returns>The subscription; dispose it to stop reporting.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public IDisposable AttachTo(IRunEvents run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var subscriptions = new CompositeDisposable
        {
            run.RunStarted.Subscribe(e => Guard(e, OnRunStarted), IgnoreError),
            run.EpochStarted.Subscribe(e => Guard(e, OnEpochStarted), IgnoreError),
            run.EpochCompleted.Subscribe(e => Guard(e, OnEpochCompleted), IgnoreError),
            run.RunCompleted.Subscribe(e => Guard(e, OnRunCompleted), IgnoreError),
        };
        var interval = BatchInterval;
        if (interval > 0)
        {
            subscriptions.Add(run.BatchCompleted.Subscribe(
                e =>
                {
                    var position = e.Stage == Stage.Train ? e.GlobalStep : e.Batch;
                    if (position % interval == 0)
                    {
                        Guard(e, OnBatchCompleted);
                    }
                },
                IgnoreError));
        }

        return subscriptions;
    }

    /// <summary>Called once when the run starts.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnRunStarted(RunStarted e)
    {
    }

    /// <summary>Called when a stage starts an epoch.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnEpochStarted(EpochStarted e)
    {
    }

    /// <summary>Called every <see cref="BatchInterval"/> batches; the event's tensors are valid only during the call.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnBatchCompleted(BatchCompleted e)
    {
    }

    /// <summary>Called when a stage finishes an epoch.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnEpochCompleted(EpochCompleted e)
    {
    }

    /// <summary>Called once when the run ends, however it ends; flush and close files here.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnRunCompleted(RunCompleted e)
    {
    }

    /// <summary>Releases the reporter's resources. Safe to call more than once.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the reporter's resources.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
    }

    // The run reports its failure through RunCompleted (Status = Failed) before the streams end with
    // OnError, so the handlers have already seen it; the error itself is rethrown by the run.
    private static void IgnoreError(Exception error)
    {
    }

    private void Guard<T>(T e, Action<T> handler)
        where T : TrainingEvent
    {
        try
        {
            handler(e);
        }
        catch (Exception error) when (error is not ReporterException)
        {
            throw new ReporterException($"Reporter '{Name}' failed on {typeof(T).Name} (stage {e.Stage.ToName()}, epoch {e.Epoch}): {error.Message}", error);
        }
    }
}
