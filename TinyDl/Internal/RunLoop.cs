namespace TinyDl.Internal;

/// <summary>
/// One run's lifecycle, shared by <see cref="Runner"/> and a <see cref="Trainer"/> or <see cref="Validator"/>
/// run alone: restore, <see cref="RunStarted"/>, the epochs (each followed by <see cref="EpochEnded"/>),
/// <see cref="RunCompleted"/> to every participant however the run ends, then the streams' end (OnError and
/// rethrow for a failed run). It also keeps the run's best values and its stop request.
/// </summary>
internal sealed class RunLoop(IReadOnlyList<RunHub> hubs, TimeProvider timeProvider, CancellationToken cancellationToken)
{
    private readonly BestTracker _best = new();
    private readonly Dictionary<Stage, MetricValues> _final = [];
    private string? _stopReason;

    public bool ShouldStop => _stopReason is not null || cancellationToken.IsCancellationRequested;

    public void RequestStop(string reason) => Interlocked.CompareExchange(ref _stopReason, reason, null);

    /// <summary>Records a stage's epoch: its values become final, the best values are updated and attached.</summary>
    public EpochCompleted Complete(EpochCompleted e)
    {
        _final[e.Stage] = e.Metrics;
        return e with { Best = _best.Record(e.Stage, e.Epoch, e.Metrics) };
    }

    /// <summary>Runs the run <paramref name="plan"/> describes.</summary>
    public RunCompleted Execute(RunPlan plan)
    {
        foreach (var hub in hubs)
        {
            hub.Active = this;
            if (hub.TakePendingStop() is { } reason)
            {
                RequestStop(reason);
            }
        }

        try
        {
            return Run(plan);
        }
        finally
        {
            foreach (var hub in hubs)
            {
                hub.Active = null;
            }
        }
    }

    private RunCompleted Run(RunPlan plan)
    {
        var (experiment, epochs, stages, restore, epoch, globalStep) = (plan.Experiment, plan.Epochs, plan.Stages, plan.Restore, plan.Epoch, plan.GlobalStep);
        var clock = new RunClock(timeProvider);
        RunPosition position;
        string? from;
        try
        {
            (position, from) = restore();
        }
        catch (Exception error)
        {
            // Nothing has started, so no participant has written anything: end the streams and say why.
            EndStreams(error);
            throw;
        }

        _best.Replay(position.History);
        foreach (var (stage, values) in position.History.Count > 0 ? position.History[^1].Metrics : new Dictionary<Stage, MetricValues>())
        {
            _final[stage] = values;
        }

        var context = new EpochContext(clock, () => ShouldStop, Complete);
        var lastEpoch = position.Epoch;
        var ran = 0;
        RunStatus status;
        try
        {
            Raise(h => h.RunStartedSubject, new RunStarted(position.Epoch + 1, position.GlobalStep, TimeSpan.Zero, experiment, epochs, stages)
            {
                Best = _best.Snapshot(),
                History = position.History,
                ResumedFrom = from,
                EndStages = plan.EndStages,
            });
            var stopped = false;
            for (var next = lastEpoch + 1; next <= epochs && !stopped; next++)
            {
                var parts = ShouldStop ? null : epoch(next, context);
                if (parts is null)
                {
                    stopped = true;
                    break;
                }

                lastEpoch = next;
                ran++;
                Raise(h => h.EpochEndedSubject, new EpochEnded(next, globalStep(), clock.Elapsed, parts));
                stopped = ShouldStop && next < epochs;
            }

            // The end stages (a test set) run once the epochs are over, unless the run was cancelled.
            // A participant's stop request (early stopping) ended the epochs, not the evaluation; only cancellation does.
            var endContext = context with { ShouldStop = () => cancellationToken.IsCancellationRequested };
            if (plan.End is { } final && lastEpoch > 0 && !cancellationToken.IsCancellationRequested && final(lastEpoch, endContext) is null)
            {
                stopped = true;
            }

            status = stopped ? RunStatus.Stopped : RunStatus.Completed;
        }
        catch (Exception error)
        {
            // Every participant gets the chance to flush; what they throw now cannot hide the run's own error.
            RaiseToAll(End(RunStatus.Failed, lastEpoch, ran, globalStep(), clock, error));
            EndStreams(error);
            throw;
        }

        var completed = End(status, lastEpoch, ran, globalStep(), clock, null);
        var endErrors = RaiseToAll(completed);
        if (endErrors.Count > 0)
        {
            var error = endErrors.Count == 1 ? endErrors[0] : new AggregateException("Several participants failed at the end of the run.", endErrors);
            EndStreams(error);
            throw error is TinyDlException ? error : new ReporterException(error.Message, "participants", error);
        }

        EndStreams(null);
        return completed;
    }

    private RunCompleted End(RunStatus status, int epoch, int ran, long step, RunClock clock, Exception? error) =>
        new(epoch, step, clock.Elapsed, status, new Dictionary<Stage, MetricValues>(_final), _best.Snapshot(), error)
        {
            StopReason = status == RunStatus.Stopped ? _stopReason ?? RunCompleted.Cancelled : null,
            EpochsRun = ran,
        };

    private void Raise<T>(Func<RunHub, EventSubject<T>> stream, T e)
    {
        foreach (var hub in hubs)
        {
            stream(hub).OnNext(e);
        }
    }

    private List<Exception> RaiseToAll(RunCompleted e)
    {
        var errors = new List<Exception>();
        foreach (var hub in hubs)
        {
            errors.AddRange(hub.RunCompletedSubject.OnNextToAll(e));
        }

        return errors;
    }

    private void EndStreams(Exception? error)
    {
        Exception? thrown = null;
        foreach (var hub in hubs)
        {
            try
            {
                hub.Complete(error);
            }
            catch (Exception observerError)
            {
                thrown ??= observerError;
            }
        }

        if (thrown is not null && error is null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(thrown);
        }
    }
}
