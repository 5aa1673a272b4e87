namespace TinyDl.Controls;

/// <summary>
/// Ends a run after exactly <see cref="MaxSteps"/> training steps, in the middle of an epoch if need be
/// (the epoch cut short raises no EpochCompleted). Attach with <see cref="AttachTo"/>.
/// </summary>
public sealed class StepLimit
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

    /// <summary>Watches a run's training steps and asks it to stop after <see cref="MaxSteps"/>.</summary>
    /// <param name="runner">The run.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/> is null.</exception>
    public IDisposable AttachTo(Runner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return runner.BatchCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train && e.GlobalStep >= MaxSteps)
            {
                runner.RequestStop();
            }
        });
    }
}
