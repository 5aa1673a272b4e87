namespace TinyDl;

/// <summary>The stage of a run that an event or a metric belongs to.</summary>
public enum Stage
{
    /// <summary>Training: forward, loss, backward, optimizer step.</summary>
    Train,

    /// <summary>Validation after each training epoch: evaluation mode, no gradients.</summary>
    Validation,

    /// <summary>A final evaluation on held-out data.</summary>
    Test,
}
