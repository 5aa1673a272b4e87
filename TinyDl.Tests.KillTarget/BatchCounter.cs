using System.Buffers.Binary;
using TinyDl;

namespace TinyDl.Tests.KillTarget;

/// <summary>
/// A user-defined participant with state of its own: it counts training batches and completed epochs,
/// and its counts live in the run's checkpoints (<see cref="IStateful"/>), so a resumed run ends with the
/// counts of an uninterrupted one only if the checkpoint saved and restored them.
/// </summary>
public sealed class BatchCounter : RunParticipant, IStateful
{
    /// <summary>Training batches counted.</summary>
    public long Batches { get; private set; }

    /// <summary>Epochs whose validation completed.</summary>
    public int Epochs { get; private set; }

    /// <inheritdoc />
    public string StateName => "batch-counter";

    /// <inheritdoc />
    protected override int BatchInterval => 1;

    /// <inheritdoc />
    public byte[] SaveState()
    {
        var bytes = new byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, Batches);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), Epochs);
        return bytes;
    }

    /// <inheritdoc />
    public void LoadState(ReadOnlySpan<byte> state)
    {
        Batches = BinaryPrimitives.ReadInt64LittleEndian(state);
        Epochs = BinaryPrimitives.ReadInt32LittleEndian(state[8..]);
    }

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train)
        {
            Batches++;
        }
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (e.Stage == Stage.Validation)
        {
            Epochs++;
        }
    }
}
