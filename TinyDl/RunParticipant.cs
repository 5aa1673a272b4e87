using System.Reactive.Disposables;

namespace TinyDl;

/// <summary>
/// Base of participants in a run (reporters, controls, the checkpointer, your own): override the
/// handlers you need; <see cref="AttachTo"/> subscribes them and keeps the run in <see cref="Run"/>, so a
/// handler can ask it to stop (<see cref="RequestStop"/>). Batch events are subscribed only when
/// <see cref="BatchInterval"/> is positive, so participants that do not ask for them cost nothing per
/// batch. An exception from a handler stops the run: a <see cref="TinyDlException"/> as it is (it already
/// says what happened), any other wrapped in a <see cref="ReporterException"/> that names the participant.
/// The run still raises <see cref="TinyDl.RunCompleted"/> to every participant, so each can flush and
/// close its files.
/// </summary>
/// <remarks>Handlers run on the training thread, one at a time. A participant takes part in one run at a time.</remarks>
public abstract class RunParticipant : IRunParticipant, IDisposable
{
    /// <summary>A display name for messages; defaults to the type's name.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The run this participant was last attached to; null before.</summary>
    protected IRunEvents? Run { get; private set; }

    /// <summary>
    /// Every how many global steps <see cref="OnBatchCompleted"/> is called during training (and every
    /// how many batches during evaluation); 0, the default, means never.
    /// </summary>
    protected virtual int BatchInterval => 0;

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public IDisposable AttachTo(IRunEvents run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Run = run;
        var subscriptions = new CompositeDisposable
        {
            run.RunStarted.Subscribe(e => Guard(e, OnRunStarted), IgnoreError),
            run.EpochStarted.Subscribe(e => Guard(e, OnEpochStarted), IgnoreError),
            run.EpochCompleted.Subscribe(e => Guard(e, OnEpochCompleted), IgnoreError),
            run.EpochEnded.Subscribe(e => Guard(e, OnEpochEnded), IgnoreError),
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

        if (this is IStateful state)
        {
            subscriptions.Add(run.AddState(state));
        }

        Attached(run, subscriptions);
        return subscriptions;
    }

    /// <summary>Called at the end of <see cref="AttachTo"/>, to check the run or subscribe to more.</summary>
    /// <param name="run">The run.</param>
    /// <param name="subscriptions">The attachment's subscriptions; add yours to have them disposed with it.</param>
    protected virtual void Attached(IRunEvents run, CompositeDisposable subscriptions)
    {
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

    /// <summary>Called once per epoch after all of its stages completed.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnEpochEnded(EpochEnded e)
    {
    }

    /// <summary>Called once when the run ends, however it ends; flush and close files here.</summary>
    /// <param name="e">The event.</param>
    protected virtual void OnRunCompleted(RunCompleted e)
    {
    }

    /// <summary>Asks the run this participant is attached to to stop after the current batch.</summary>
    /// <param name="reason">Why, for the log and <see cref="RunCompleted.StopReason"/>.</param>
    /// <exception cref="InvalidOperationException">The participant is not attached to a run.</exception>
    protected void RequestStop(string reason) =>
        (Run ?? throw new InvalidOperationException($"{Name} is not attached to a run.")).RequestStop(reason);

    /// <summary>Releases the participant's resources. Safe to call more than once.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the participant's resources.</summary>
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
        catch (Exception error) when (error is not TinyDlException)
        {
            var where = e is StageEvent s ? $"stage {s.Stage.ToName()}, epoch {e.Epoch}" : $"epoch {e.Epoch}";
            var kind = this is Reporter ? "Reporter" : "Participant";
            throw new ReporterException($"{kind} '{Name}' failed on {typeof(T).Name} ({where}): {error.Message}", Name, error);
        }
    }
}
