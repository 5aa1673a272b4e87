namespace TinyDl.Controls;

/// <summary>
/// Ends a run after exactly <see cref="MaxSteps"/> training steps, in the middle of an epoch if need be
/// (the epoch cut short raises no EpochCompleted). A participant: attach it to a run.
/// </summary>
public sealed class StepLimit : RunParticipant
{
    /// <summary>Creates the control.</summary>
    /// <param name="maxSteps">The last global step to train.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSteps"/> is not positive.</exception>
    public StepLimit(long maxSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSteps);
        MaxSteps = maxSteps;
    }

    /// <summary>The last global step to train.</summary>
    public long MaxSteps { get; }

    /// <inheritdoc />
    protected override int BatchInterval => 1;

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train && e.GlobalStep >= MaxSteps)
        {
            RequestStop($"step limit: {MaxSteps} training steps");
        }
    }
}
