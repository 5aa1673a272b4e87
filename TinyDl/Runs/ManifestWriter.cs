using TinyDl.Internal;
using static TorchSharp.torch;

namespace TinyDl.Runs;

/// <summary>
/// Writes a run's manifest, <c>run.json</c>, into the run directory: with status <c>running</c> when
/// the run starts, updated (metrics, epoch, timings) after every epoch, and with the final status when
/// the run ends however it ends. Every write replaces the file atomically, so a killed process leaves
/// the last complete manifest, never a partial one.
/// </summary>
/// <remarks>
/// A write is a few kilobytes and one flush to disk per epoch, done on the training thread. When a run
/// resumes (its first epoch is after 1) and a readable manifest is already there, the start time and the
/// metrics recorded so far are kept. Not thread-safe; attach it to one run.
/// </remarks>
public sealed class ManifestWriter : Reporter
{
    private readonly nn.Module _model;
    private readonly IReadOnlyDictionary<string, string> _data;
    private readonly long? _seed;
    private readonly Dictionary<string, MetricSummary> _metrics = new(StringComparer.Ordinal);

    /// <summary>Creates a writer for one run.</summary>
    /// <param name="directory">The run directory, such as <c>runs/&lt;experiment name&gt;</c>; created when the run starts.</param>
    /// <param name="model">The model; its parameters are counted and its weights fingerprinted when the run starts.</param>
    /// <param name="dataFingerprints">The data's fingerprints by split, such as <see cref="Fingerprint.OfFiles"/> of each split's files; none by default.</param>
    /// <param name="seed">The run's seed; by default the experiment's <c>seed</c> hyperparameter when it has one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> or <paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or a fingerprint is empty.</exception>
    public ManifestWriter(string directory, nn.Module model, IReadOnlyDictionary<Stage, string>? dataFingerprints = null, long? seed = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(model);
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (stage, fingerprint) in (dataFingerprints ?? new Dictionary<Stage, string>()).OrderBy(kv => kv.Key))
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(fingerprint, nameof(dataFingerprints));
            data[stage.ToName()] = fingerprint;
        }

        Directory = System.IO.Path.GetFullPath(directory);
        _model = model;
        _data = data;
        _seed = seed;
    }

    /// <summary>The run directory (full path).</summary>
    public string Directory { get; }

    /// <summary>The manifest's path: <c>run.json</c> in <see cref="Directory"/>.</summary>
    public string Path => System.IO.Path.Combine(Directory, RunManifest.FileName);

    /// <summary>The clock for the manifest's start, update and end times. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The manifest as last written; null before the run starts.</summary>
    public RunManifest? Manifest { get; private set; }

    /// <inheritdoc />
    protected override void OnRunStarted(RunStarted e)
    {
        var now = TimeProvider.GetUtcNow();
        var previous = e.Epoch > 1 ? TryReadPrevious() : null;
        _metrics.Clear();

        // A resumed run's metrics so far come from the checkpoint's history, judged as the run judges them.
        var best = new BestTracker();
        foreach (var epoch in e.History)
        {
            foreach (var (stage, values) in epoch.Metrics)
            {
                Update(stage, values, best.Record(stage, epoch.Epoch, values));
            }
        }

        var experiment = e.Experiment;
        Write(new RunManifest
        {
            Name = experiment?.Name ?? new DirectoryInfo(Directory).Name,
            ExperimentId = experiment?.Id,
            Hyperparameters = experiment?.Values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) ?? [],
            Seed = _seed ?? SeedOf(experiment),
            Status = RunStatus.Running,
            StartedAt = previous?.StartedAt ?? now,
            UpdatedAt = now,
            Epoch = e.Epoch - 1,
            Epochs = e.Epochs,
            GlobalStep = e.GlobalStep,
            Data = _data,
            Model = Summarize(_model),
            Versions = RunVersions.Current,
            Machine = MachineInfo.Current,
            Metrics = Snapshot(),
        });
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (Manifest is not null)
        {
            Update(e.Stage, e.Metrics, e.Best);
        }
    }

    /// <inheritdoc />
    protected override void OnEpochEnded(EpochEnded e)
    {
        if (Manifest is not null)
        {
            Write(Manifest with { UpdatedAt = TimeProvider.GetUtcNow(), Elapsed = e.Elapsed, Epoch = e.Epoch, GlobalStep = e.GlobalStep, Metrics = Snapshot() });
        }
    }

    /// <inheritdoc />
    protected override void OnRunCompleted(RunCompleted e)
    {
        if (Manifest is null)
        {
            return;
        }

        var now = TimeProvider.GetUtcNow();
        Write(Manifest with
        {
            Status = e.Status,
            StopReason = e.StopReason,
            Error = e.Error is null ? null : $"{e.Error.GetType().Name}: {e.Error.Message}",
            UpdatedAt = now,
            EndedAt = now,
            Elapsed = e.Elapsed,
            Epoch = e.Epoch,
            GlobalStep = e.GlobalStep,
            Metrics = Snapshot(),
        });
    }

    /// <summary>
    /// Records in the manifest the weights file the run leaves for use (such as <c>model.bin</c>, saved
    /// after the run ended), with its SHA-256, so that whoever loads it can check it is the file the run
    /// wrote. Rewrites <c>run.json</c> atomically.
    /// </summary>
    /// <param name="file">The weights file, inside <see cref="Directory"/>.</param>
    /// <param name="epoch">The epoch whose weights it holds, when known.</param>
    /// <param name="choice"><c>best</c> or <c>last</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="file"/> is not inside the run directory, or <paramref name="choice"/> is neither <c>best</c> nor <c>last</c>.</exception>
    /// <exception cref="InvalidOperationException">The run has not started, so there is no manifest yet.</exception>
    /// <exception cref="IOException">The file cannot be read or the manifest not written.</exception>
    public void RecordWeights(string file, int? epoch, string choice)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        if (choice is not ("best" or "last"))
        {
            throw new ArgumentException($"The weights choice is 'best' or 'last', not '{choice}'.", nameof(choice));
        }

        var full = System.IO.Path.GetFullPath(file, Directory);
        var relative = System.IO.Path.GetRelativePath(Directory, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative))
        {
            throw new ArgumentException($"The weights file '{full}' is not inside the run directory '{Directory}'.", nameof(file));
        }

        var manifest = Manifest ?? throw new InvalidOperationException("The run has not started; record the weights after it ran.");
        var weights = new WeightsSummary(relative.Replace('\\', '/'), Fingerprint.OfFiles(full), epoch, choice);
        Write(manifest with { Weights = weights, UpdatedAt = TimeProvider.GetUtcNow() });
    }

    private void Update(Stage stage, MetricValues values, IReadOnlyDictionary<string, BestValue> best)
    {
        foreach (var value in values)
        {
            var top = best.TryGetValue(value.Name, out var b) ? b : new BestValue(value, 0);
            _metrics[stage.MetricKey(value.Name)] = new MetricSummary(value.Value, top.Value.Value, top.Epoch, value.HigherIsBetter);
        }
    }

    private static long? SeedOf(Experiment? experiment) =>
        experiment is not null && experiment.Contains("seed") && experiment.Raw("seed") is int or long ? experiment.Get<long>("seed") : null;

    private static ModelSummary Summarize(nn.Module model)
    {
        var all = model.parameters().ToList();
        var parameters = all.Sum(p => p.numel());
        var trainable = all.Where(p => p.requires_grad).Sum(p => p.numel());
        var device = all.Count > 0 ? all[0].device.ToString() : "none";
        return new ModelSummary(model.GetType().Name, parameters, trainable, device, Fingerprint.OfWeights(model));
    }

    private Dictionary<string, MetricSummary> Snapshot() => new(_metrics, StringComparer.Ordinal);

    private RunManifest? TryReadPrevious()
    {
        try
        {
            return File.Exists(Path) ? RunManifest.Read(Path) : null;
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Write(RunManifest manifest)
    {
        manifest.WriteTo(Path);
        Manifest = manifest;
    }
}
