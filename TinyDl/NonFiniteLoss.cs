namespace TinyDl;

/// <summary>What a <see cref="Trainer"/> does with a batch whose loss is NaN or infinite.</summary>
public enum NonFiniteLoss
{
    /// <summary>Fail the run at once with a <see cref="NonFiniteValueException"/> naming the epoch, batch and step,
    /// before the loss reaches the weights. The default.</summary>
    Fail,

    /// <summary>Skip the batch: no backward, no optimizer step, no metric update, no batch event; counted in
    /// <see cref="EpochCompleted.SkippedBatches"/>. An epoch whose every batch is skipped fails.</summary>
    Skip,

    /// <summary>Do not look: train on whatever the loss is. Saves the check (one copy of the loss to the host per
    /// batch); a run that goes NaN then still never saves a NaN epoch as best.</summary>
    Allow,
}
