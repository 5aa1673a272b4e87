using System.Diagnostics;
using Microsoft.Extensions.Logging;
using TinyDl.Serving.Internal;

namespace TinyDl.Serving;

/// <content>The worker: one thread that loads the model, forms batches from the queue and runs them until the queue is drained.</content>
public sealed partial class ServedModel
{
    // How long the idle worker waits for a request before looking for a reload request again.
    private static readonly TimeSpan IdlePoll = TimeSpan.FromMilliseconds(250);

    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;
    private WorkItem? _carried;
    private Task<bool>? _pendingWait;

    /// <summary>Starts the worker and waits until the model is loaded and warmed up.</summary>
    /// <exception cref="ModelLoadException">The model could not be loaded.</exception>
    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_thread is null)
        {
            // A thread of its own, not the thread pool: libtorch's grad mode and TorchSharp's dispose
            // scopes are per thread, and a forward pass must not hold up a pool thread that serves HTTP.
            _thread = new Thread(Work) { IsBackground = true, Name = $"TinyDl model {Name}" };
            _thread.Start();
        }

        await _loaded.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        StartWatching();
    }

    /// <summary>Marks the model as stopping: readiness turns false and new requests are refused; queued ones still run.</summary>
    internal void BeginStopping()
    {
        if (_status is ServedModelStatus.Ready or ServedModelStatus.Loading)
        {
            _status = ServedModelStatus.Stopping;
        }
    }

    /// <summary>Stops taking requests and waits until every queued request has been answered.</summary>
    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        BeginStopping();
        _queue.Writer.TryComplete();
        _watcher?.Dispose();
        if (_thread is not null)
        {
            await _ended.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Work()
    {
        try
        {
            _current = LoadAndWarmUp();
            if (_status == ServedModelStatus.Loading)
            {
                _status = ServedModelStatus.Ready;
            }

            if (_logger.IsEnabled(LogLevel.Information))
            {
                Log.Ready(_logger, Name, string.Join(", ", Options.InputShape), string.Join(", ", OutputShape), _current.Weights?.Sha256 ?? "in memory");
            }

            _loaded.TrySetResult();
        }
        catch (Exception error)
        {
            var refusal = error as ModelLoadException ?? new ModelLoadException($"The model '{Name}' could not be loaded: {error.Message}", error);
            Error = refusal.Message;
            _status = ServedModelStatus.Failed;
            _queue.Writer.TryComplete();
            Log.NotLoaded(_logger, Name, refusal.Message);
            _loaded.TrySetException(refusal);
            _ended.TrySetResult();
            return;
        }

        try
        {
            var batch = new List<WorkItem>(Options.MaxBatchSize);
            while (NextBatch(batch))
            {
                RunBatch(batch);
                ReloadIfAsked();
            }
        }
        finally
        {
            _status = ServedModelStatus.Stopped;
            _current?.Module.Dispose();
            Log.Stopped(_logger, Name, Interlocked.Read(ref _batches));
            _ended.TrySetResult();
        }
    }

    // Fills the batch: the first request waits as long as it takes, the others at most MaxWait after it.
    // Returns false once the queue is completed and empty; the batch may be empty when a reload is due.
    private bool NextBatch(List<WorkItem> batch)
    {
        batch.Clear();
        var samples = 0;
        while (batch.Count == 0)
        {
            if (Take(out var item))
            {
                Add(item, batch, ref samples);
            }
            else if (Volatile.Read(ref _reloadRequested) == 1)
            {
                return true;
            }
            else if (!WaitForRequest(IdlePoll) && _queue.Reader.Completion.IsCompleted)
            {
                return false;
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(Options.MaxWait.TotalSeconds * Stopwatch.Frequency);
        while (samples < Options.MaxBatchSize)
        {
            if (Take(out var item))
            {
                if (samples + item.Samples > Options.MaxBatchSize)
                {
                    _carried = item;
                    break;
                }

                Add(item, batch, ref samples);
                continue;
            }

            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero || !WaitForRequest(left))
            {
                break;
            }
        }

        return true;
    }

    private bool Take(out WorkItem item)
    {
        if (_carried is { } carried)
        {
            _carried = null;
            item = carried;
            return true;
        }

        return _queue.Reader.TryRead(out item!);
    }

    private void Add(WorkItem item, List<WorkItem> batch, ref int samples)
    {
        if (Drop(item))
        {
            return;
        }

        batch.Add(item);
        samples += item.Samples;
    }

    // A request whose client went away is answered as cancelled and never runs.
    private bool Drop(WorkItem item)
    {
        if (!item.Cancellation.IsCancellationRequested)
        {
            return false;
        }

        Interlocked.Increment(ref _dropped);
        item.Completion.TrySetCanceled(item.Cancellation);
        return true;
    }

    // Blocks until a request may be there (true) or the time is up or the queue completed (false). One
    // wait is kept across calls, so an idle worker does not pile up waiters in the channel.
    private bool WaitForRequest(TimeSpan timeout)
    {
        _pendingWait ??= _queue.Reader.WaitToReadAsync().AsTask();
        if (!_pendingWait.Wait(timeout))
        {
            return false;
        }

        var available = _pendingWait.Result;
        _pendingWait = null;
        return available;
    }
}
