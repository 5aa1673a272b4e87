using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>What a checkpoint holds of a run: the header and the named state sections, as written.</summary>
internal static class CheckpointContent
{
    public static byte[] Write(IRunState run, CheckpointHeader header)
    {
        var optimizers = run.Optimizers;
        header.OptimizerNames = [.. optimizers.Keys];
        header.Optimizer = string.Join(", ", optimizers.Select(kv => optimizers.Count == 1 ? kv.Value.GetType().Name : $"{kv.Key}={kv.Value.GetType().Name}"));
        header.Enumerations = run.ReplayableData.ToDictionary(kv => kv.Key.ToString(), kv => kv.Value.Enumerations, StringComparer.Ordinal);
        var sections = new List<(string, byte[])> { (CheckpointFormat.ModelSection, Save(writer => run.Model.save(writer))) };
        foreach (var (name, optimizer) in optimizers)
        {
            var helper = optimizer as OptimizerHelper
                ?? throw new NotSupportedException($"The optimizer '{name}' ({optimizer.GetType().Name}) cannot save its state; TinyDl checkpoints need TorchSharp optimizers derived from OptimizerHelper.");
            sections.Add((CheckpointFormat.OptimizerPrefix + name, Save(helper.save_state_dict)));
        }

        using (var state = random.get_rng_state())
        {
            sections.Add((CheckpointFormat.RandomSection, state.bytes.ToArray()));
        }

        foreach (var participant in run.States)
        {
            sections.Add((CheckpointFormat.StatePrefix + participant.StateName, participant.SaveState()));
        }

        return CheckpointFormat.Write(header, sections);
    }

    /// <summary>Restores everything a checkpoint holds into a run and returns where the run continues.</summary>
    public static RunPosition Restore(Checkpoint checkpoint, IRunState run)
    {
        checkpoint.LoadModel(run.Model);
        var saved = string.Join(", ", checkpoint.OptimizerNames);
        var mine = string.Join(", ", run.Optimizers.Keys);
        if (saved != mine)
        {
            throw new CheckpointException($"'{checkpoint.Path}' holds the optimizers ({saved}) but the trainer has ({mine}); resume with the same optimizers.", checkpoint.Path);
        }

        foreach (var (name, optimizer) in run.Optimizers)
        {
            checkpoint.LoadOptimizer(name, optimizer);
        }

        checkpoint.RestoreRandomState();
        foreach (var (stage, data) in run.ReplayableData)
        {
            if (checkpoint.Enumerations.TryGetValue(stage.ToString(), out var enumerations))
            {
                data.Enumerations = enumerations;
            }
        }

        foreach (var state in run.States)
        {
            checkpoint.LoadState(state);
        }

        return new RunPosition(checkpoint.Epoch, checkpoint.GlobalStep, checkpoint.History);
    }

    /// <summary>
    /// Serialises a section into an array of exactly its size. The section is written twice: first
    /// into a <see cref="CountingStream"/> (~0.1 ms for Fashion-MNIST's MLP and Adam state), then into
    /// the array. A MemoryStream grown by doubling took 8 and 16 ms for the same two sections, in
    /// large-object allocations and page faults, and left that garbage every epoch.
    /// </summary>
    private static byte[] Save(Action<BinaryWriter> write)
    {
        var counter = new CountingStream();
        using (var writer = new BinaryWriter(counter, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            write(writer);
        }

        var bytes = new byte[checked((int)counter.Length)];
        using var section = new MemoryStream(bytes, writable: true);
        try
        {
            using var writer = new BinaryWriter(section, System.Text.Encoding.UTF8, leaveOpen: true);
            write(writer);
        }
        catch (NotSupportedException error)
        {
            throw new InvalidOperationException("A checkpoint section wrote more bytes the second time than the first; its state changed while it was saved.", error);
        }

        return section.Position == bytes.Length
            ? bytes
            : throw new InvalidOperationException("A checkpoint section wrote fewer bytes the second time than the first; its state changed while it was saved.");
    }
}
