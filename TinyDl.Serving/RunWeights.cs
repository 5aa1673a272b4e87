namespace TinyDl.Serving;

/// <summary>Which weights of a run directory to serve.</summary>
public enum RunWeights
{
    /// <summary>The weights file run.json records (<c>weights.file</c>, usually <c>model.bin</c>), checked against its recorded SHA-256.</summary>
    Recorded,

    /// <summary>The best epoch's checkpoint, <c>checkpoints/best.ckpt</c>, checked against the checksum it carries and the run's experiment id.</summary>
    BestCheckpoint,

    /// <summary>The last epoch's checkpoint, <c>checkpoints/last.ckpt</c>, checked like <see cref="BestCheckpoint"/>.</summary>
    LastCheckpoint,
}
