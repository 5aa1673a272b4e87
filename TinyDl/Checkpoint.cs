using System.Runtime.InteropServices;
using TinyDl.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// A checkpoint read from disk: where the run was (epoch, global step), what it was (experiment id,
/// data fingerprints), its metric values so far, and the saved states of the model, the optimizer and
/// TorchSharp's CPU random generator, which <see cref="LoadModel"/>, <see cref="LoadOptimizer(string, optim.Optimizer)"/> and
/// <see cref="RestoreRandomState"/> put back. Written by a <see cref="Checkpointer"/>.
/// </summary>
/// <remarks>The whole file is read and its checksum verified by <see cref="Read"/>. Immutable.</remarks>
public sealed class Checkpoint
{
    private readonly CheckpointSections _sections;

    private Checkpoint(string path, CheckpointSections sections)
    {
        Path = path;
        _sections = sections;
        var header = sections.Header;
        Fingerprints = new Dictionary<string, string>(header.Fingerprints, StringComparer.Ordinal);
        Final = ToStages(header.Final);
        Best = ToStages(header.Best);
        History = [.. header.History.Select(h => new EpochSummary(h.Epoch, h.GlobalStep, ToStages(h.Metrics)))];
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The last epoch completed when it was saved.</summary>
    public int Epoch => Header.Epoch;

    /// <summary>The trainer's global step when it was saved.</summary>
    public long GlobalStep => Header.GlobalStep;

    /// <summary>Whether it was saved within an epoch (every N steps); a run resumes only from epoch ends.</summary>
    public bool WithinEpoch => Header.WithinEpoch;

    /// <summary>When it was saved.</summary>
    public DateTimeOffset SavedAt => Header.SavedAt;

    /// <summary>The <see cref="Experiment.Id"/> of the run that saved it, or null when the run had no experiment.</summary>
    public string? ExperimentId => Header.ExperimentId;

    /// <summary>The <see cref="Experiment.Name"/> of the run that saved it, or null.</summary>
    public string? ExperimentName => Header.ExperimentName;

    /// <summary>The data fingerprints the run declared (<see cref="Checkpointer.Fingerprints"/>).</summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; }

    /// <summary>Each stage's metric values of the last completed epoch.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Final { get; }

    /// <summary>Each stage's best value of every metric up to <see cref="Epoch"/>.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Best { get; }

    /// <summary>Every completed epoch up to <see cref="Epoch"/> with each stage's metric values, oldest first.</summary>
    public IReadOnlyList<EpochSummary> History { get; }

    /// <summary>The monitored metric's value at <see cref="Epoch"/>, or null when nothing was monitored.</summary>
    public double? MonitoredValue => Header.Monitor?.Value;

    internal CheckpointHeader Header => _sections.Header;

    internal ReadOnlyMemory<byte> Bytes { get; private init; }

    /// <summary>Reads a checkpoint file and verifies it is complete.</summary>
    /// <param name="path">The file, such as <c>checkpoints/last.ckpt</c>.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete TinyDl checkpoint of a known version.</exception>
    public static Checkpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        return new Checkpoint(path, CheckpointFormat.Read(bytes, path)) { Bytes = bytes };
    }

    /// <summary>Loads the saved weights and buffers into <paramref name="model"/> (strictly: names and shapes must match).</summary>
    /// <param name="model">A model of the architecture that was saved.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The model does not match the saved state.</exception>
    public void LoadModel(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Load("model", () =>
        {
            using var reader = Reader(_sections.Model);
            model.load(reader);
        });
    }

    /// <summary>The names of the saved optimizers, in order (<see cref="Optimizers.DefaultName"/> for a trainer's only one).</summary>
    public IReadOnlyList<string> OptimizerNames => Header.OptimizerNames;

    /// <summary>Loads the saved state (learning rates, momenta, step counts) of the only saved optimizer into <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">An optimizer of the saved type over the same parameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="InvalidOperationException">Several optimizers were saved, or the optimizer does not match the saved state.</exception>
    public void LoadOptimizer(optim.Optimizer optimizer)
    {
        if (OptimizerNames.Count != 1)
        {
            throw new InvalidOperationException($"'{Path}' holds {OptimizerNames.Count} optimizers ({string.Join(", ", OptimizerNames)}); load each by name.");
        }

        LoadOptimizer(OptimizerNames[0], optimizer);
    }

    /// <summary>Loads the saved state of the optimizer named <paramref name="name"/> into <paramref name="optimizer"/>.</summary>
    /// <param name="name">The optimizer's name in the trainer's <see cref="Optimizers"/>.</param>
    /// <param name="optimizer">An optimizer of the saved type over the same parameters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">No optimizer of that name was saved, or the optimizer does not match the saved state.</exception>
    public void LoadOptimizer(string name, optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!_sections.Optimizers.TryGetValue(name, out var section))
        {
            throw new InvalidOperationException($"'{Path}' holds no optimizer named '{name}'; it holds: {(OptimizerNames.Count == 0 ? "none" : string.Join(", ", OptimizerNames))}.");
        }

        if (optimizer is not OptimizerHelper helper)
        {
            throw new InvalidOperationException($"The optimizer {optimizer.GetType().Name} cannot load a saved state.");
        }

        Load($"optimizer '{name}'", () =>
        {
            using var reader = Reader(section);
            helper.load_state_dict(reader);
        });
    }

    /// <summary>Restores TorchSharp's CPU random generator to its state when the checkpoint was saved.</summary>
    public void RestoreRandomState()
    {
        using var state = tensor(_sections.RandomState.ToArray());
        random.set_rng_state(state);
    }

    private static BinaryReader Reader(ReadOnlyMemory<byte> section) =>
        new(new MemoryStream(section.ToArray(), writable: false));

    private static Dictionary<Stage, MetricValues> ToStages(Dictionary<string, List<MetricValue>> values) =>
        values.ToDictionary(kv => Enum.Parse<Stage>(kv.Key), kv => new MetricValues(kv.Value));

    private void Load(string what, Action load)
    {
        try
        {
            load();
        }
        catch (Exception error) when (error is ArgumentException or InvalidDataException or InvalidOperationException or IOException or ExternalException)
        {
            throw new InvalidOperationException($"Cannot load the {what} state of '{Path}': {error.Message}", error);
        }
    }
}
