using System.Runtime.InteropServices;
using TinyDl.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// A checkpoint read from disk: where the run was (epoch, global step), what it was (experiment id,
/// data fingerprints), every epoch's metric values so far, and the saved states: the model, the
/// optimizers, TorchSharp's CPU random generator and the participants' states, which <see cref="LoadModel"/>,
/// <see cref="LoadOptimizer(string, optim.Optimizer)"/>, <see cref="RestoreRandomState"/> and
/// <see cref="LoadState"/> put back. Written by a <see cref="Checkpointer"/>.
/// </summary>
/// <remarks>The whole file is read and its checksum verified by <see cref="Read"/>. Immutable.</remarks>
public sealed class Checkpoint
{
    private readonly CheckpointHeader _header;
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _sections;

    private Checkpoint(string path, byte[] bytes)
    {
        Path = path;
        Bytes = bytes;
        (_header, _sections) = CheckpointFormat.Read(bytes, path);
        Fingerprints = new Dictionary<string, string>(_header.Fingerprints, StringComparer.Ordinal);
        History = [.. _header.History.Select(h => new EpochSummary(h.Epoch, h.GlobalStep, ToStages(h.Metrics)) { Duration = TimeSpan.FromSeconds(h.Seconds) })];
        var best = new BestTracker();
        best.Replay(History);
        Best = best.Snapshot();
        Final = History.Count > 0 ? History[^1].Metrics : ToStages(_header.Final);
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The last epoch completed when it was saved.</summary>
    public int Epoch => _header.Epoch;

    /// <summary>The trainer's global step when it was saved.</summary>
    public long GlobalStep => _header.GlobalStep;

    /// <summary>Whether it was saved within an epoch (every N steps); a run resumes only from epoch ends.</summary>
    public bool WithinEpoch => _header.WithinEpoch;

    /// <summary>When it was saved.</summary>
    public DateTimeOffset SavedAt => _header.SavedAt;

    /// <summary>The <see cref="Experiment.Id"/> of the run that saved it, or null when the run had no experiment.</summary>
    public string? ExperimentId => _header.ExperimentId;

    /// <summary>The <see cref="Experiment.Name"/> of the run that saved it, or null.</summary>
    public string? ExperimentName => _header.ExperimentName;

    /// <summary>The data fingerprints the run declared (<see cref="Checkpointer.Fingerprints"/>), by stage name.</summary>
    public IReadOnlyDictionary<string, string> Fingerprints { get; }

    /// <summary>Each stage's metric values of the last completed epoch.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Final { get; }

    /// <summary>Each stage's best value of every metric up to <see cref="Epoch"/>, judged as the run judges them.</summary>
    public IReadOnlyDictionary<Stage, MetricValues> Best { get; }

    /// <summary>Every completed epoch up to <see cref="Epoch"/> with each stage's metric values, oldest first.</summary>
    public IReadOnlyList<EpochSummary> History { get; }

    /// <summary>The names of the saved optimizers, in order (<see cref="Optimizers.DefaultName"/> for a trainer's only one).</summary>
    public IReadOnlyList<string> OptimizerNames => _header.OptimizerNames;

    /// <summary>The names of the participants' states saved (<see cref="IStateful.StateName"/>).</summary>
    public IReadOnlyList<string> StateNames =>
        [.. _header.Sections.Where(s => s.StartsWith(CheckpointFormat.StatePrefix, StringComparison.Ordinal)).Select(s => s[CheckpointFormat.StatePrefix.Length..])];

    /// <summary>The enumerations of the run's replayable data by stage name, when it was saved.</summary>
    internal IReadOnlyDictionary<string, int> Enumerations => _header.Enumerations;

    internal byte[] Bytes { get; }

    /// <summary>Reads a checkpoint file and verifies it is complete. Reads regular files only, never a FIFO or device.</summary>
    /// <param name="path">The file, such as <c>checkpoints/last.ckpt</c>.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete TinyDl checkpoint of a known version.</exception>
    /// <exception cref="IOException">The file cannot be read, or is not a regular file.</exception>
    public static Checkpoint Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new Checkpoint(path, SafeFile.ReadAllBytes(path, int.MaxValue));
    }

    /// <summary>Loads the saved weights and buffers into <paramref name="model"/> (strictly: names and shapes must match).</summary>
    /// <param name="model">A model of the architecture that was saved.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="CheckpointException">The model does not match the saved state.</exception>
    public void LoadModel(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Load("model", CheckpointFormat.ModelSection, reader => model.load(reader));
    }

    /// <summary>Loads the saved state (learning rates, momenta, step counts) of the only saved optimizer into <paramref name="optimizer"/>.</summary>
    /// <param name="optimizer">An optimizer of the saved type over the same parameters.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="CheckpointException">Several optimizers were saved, or the optimizer does not match the saved state.</exception>
    public void LoadOptimizer(optim.Optimizer optimizer)
    {
        if (OptimizerNames.Count != 1)
        {
            throw new CheckpointException($"'{Path}' holds {OptimizerNames.Count} optimizers ({string.Join(", ", OptimizerNames)}); load each by name.", Path);
        }

        LoadOptimizer(OptimizerNames[0], optimizer);
    }

    /// <summary>Loads the saved state of the optimizer named <paramref name="name"/> into <paramref name="optimizer"/>.</summary>
    /// <param name="name">The optimizer's name in the trainer's <see cref="Optimizers"/>.</param>
    /// <param name="optimizer">An optimizer of the saved type over the same parameters.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="CheckpointException">No optimizer of that name was saved, or the optimizer does not match the saved state.</exception>
    public void LoadOptimizer(string name, optim.Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(optimizer);
        if (!_sections.ContainsKey(CheckpointFormat.OptimizerPrefix + name))
        {
            throw new CheckpointException($"'{Path}' holds no optimizer named '{name}'; it holds: {(OptimizerNames.Count == 0 ? "none" : string.Join(", ", OptimizerNames))}.", Path);
        }

        if (optimizer is not OptimizerHelper helper)
        {
            throw new CheckpointException($"The optimizer {optimizer.GetType().Name} cannot load a saved state.", Path);
        }

        Load($"optimizer '{name}'", CheckpointFormat.OptimizerPrefix + name, helper.load_state_dict);
    }

    /// <summary>Restores TorchSharp's CPU random generator to its state when the checkpoint was saved.</summary>
    public void RestoreRandomState()
    {
        using var state = tensor(_sections[CheckpointFormat.RandomSection].ToArray());
        random.set_rng_state(state);
    }

    /// <summary>Gives <paramref name="state"/> back what it saved, when this checkpoint holds a state of its name.</summary>
    /// <param name="state">The state.</param>
    /// <returns>True when the checkpoint held the state; false when it has none of that name (the state is left as it is).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="CheckpointException">The state threw while loading.</exception>
    public bool LoadState(IStateful state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!_sections.TryGetValue(CheckpointFormat.StatePrefix + state.StateName, out var bytes))
        {
            return false;
        }

        try
        {
            state.LoadState(bytes.Span);
            return true;
        }
        catch (Exception error) when (error is not CheckpointException)
        {
            throw new CheckpointException($"The state '{state.StateName}' could not take back what '{Path}' saved of it: {error.Message}", Path, innerException: error);
        }
    }

    private static Dictionary<Stage, MetricValues> ToStages(Dictionary<string, List<MetricValue>> values) =>
        values.ToDictionary(kv => Enum.Parse<Stage>(kv.Key), kv => new MetricValues(kv.Value));

    private void Load(string what, string section, Action<BinaryReader> load)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(_sections[section].ToArray(), writable: false));
            load(reader);
        }
        catch (Exception error) when (error is ArgumentException or InvalidDataException or InvalidOperationException or IOException or ExternalException or KeyNotFoundException)
        {
            throw new CheckpointException($"Cannot load the {what} state of '{Path}' into this run: {error.Message} Resume with the model and optimizers that saved it.", Path, innerException: error);
        }
    }
}
