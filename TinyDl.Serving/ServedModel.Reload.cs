using TinyDl.Runs;
using TinyDl.Serving.Internal;

namespace TinyDl.Serving;

/// <content>Reloading: a watcher on the run directory asks the worker to load replaced weights between batches.</content>
public sealed partial class ServedModel
{
    // Writers replace run.json and the weights one after the other; wait until both settled.
    private static readonly TimeSpan ReloadDelay = TimeSpan.FromMilliseconds(200);

    private FileSystemWatcher? _watcher;
    private Timer? _reloadTimer;
    private int _reloadRequested;

    private void StartWatching()
    {
        if (!Options.ReloadOnChange || Source.RunDirectory is not { } directory || _watcher is not null)
        {
            return;
        }

        _reloadTimer = new Timer(_ => Volatile.Write(ref _reloadRequested, 1));
        _watcher = new FileSystemWatcher(directory)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        FileSystemEventHandler changed = (_, _) => _reloadTimer.Change(ReloadDelay, Timeout.InfiniteTimeSpan);
        _watcher.Changed += changed;
        _watcher.Created += changed;
        _watcher.Renamed += (_, _) => _reloadTimer.Change(ReloadDelay, Timeout.InfiniteTimeSpan);
        _watcher.EnableRaisingEvents = true;
    }

    // On the worker, between batches: load the new weights if they differ from the served ones and pass
    // the checks; requests queued meanwhile wait and are then answered by the new weights.
    private void ReloadIfAsked()
    {
        if (Interlocked.Exchange(ref _reloadRequested, 0) == 0 || _status != ServedModelStatus.Ready || Source.RunDirectory is not { } directory)
        {
            return;
        }

        var served = _current?.Weights?.Sha256;
        var candidate = CurrentWeights(directory);
        if (candidate is null || string.Equals(candidate, served, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var previous = _current!;
        var previousShape = OutputShape;
        try
        {
            var loaded = LoadAndWarmUp();
            _current = loaded;
            previous.Module.Dispose();
            LastReloadError = null;
            Interlocked.Increment(ref _reloads);
            Log.Reloaded(_logger, Name, loaded.Weights?.Sha256, loaded.Weights?.Path);
        }
        catch (ModelLoadException error)
        {
            OutputShape = previousShape;
            LastReloadError = error.Message;
            Log.ReloadRefused(_logger, Name, served, error.Message);
        }
    }

    // The SHA-256 of the weights a reload would load, or null while the run directory does not agree
    // with itself (weights replaced, run.json not yet rewritten, or the other way round).
    private string? CurrentWeights(string directory)
    {
        if (Source.Weights != RunWeights.Recorded)
        {
            var name = Source.Weights == RunWeights.BestCheckpoint ? "best" : "last";
            var path = Path.Combine(directory, "checkpoints", $"{name}.ckpt");
            return File.Exists(path) ? Fingerprint.OfFiles(path) : null;
        }

        var (recorded, actual) = RunLoader.WeightsState(directory);
        return recorded is not null && string.Equals(recorded, actual, StringComparison.OrdinalIgnoreCase) ? actual : null;
    }
}
