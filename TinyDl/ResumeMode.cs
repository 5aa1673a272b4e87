namespace TinyDl;

/// <summary>How <see cref="Checkpointer.ResumePoint"/> treats a run directory without a checkpoint.</summary>
public enum ResumeMode
{
    /// <summary>Continue from the last checkpoint when there is one, start at epoch 1 when there is none (as Keras's
    /// <c>BackupAndRestore</c> and Lightning's <c>ckpt_path="last"</c>).</summary>
    IfAvailable,

    /// <summary>Continue from the last checkpoint; fail with a <see cref="CheckpointException"/> when there is none.</summary>
    Required,
}
