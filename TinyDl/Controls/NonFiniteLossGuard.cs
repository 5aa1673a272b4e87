namespace TinyDl.Controls;

/// <summary>
/// Fails a run with a clear error naming the epoch and batch as soon as a training loss is NaN or
/// infinite. Costs one host transfer per checked batch; check every <see cref="Interval"/> steps to
/// pay less. Attach with <see cref="AttachTo"/>.
/// </summary>
public sealed class NonFiniteLossGuard
{
    /// <summary>Every how many training steps to check. Defaults to 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Interval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1;

    /// <summary>Watches a run's training losses.</summary>
    /// <param name="runner">The run.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/> is null.</exception>
    /// <exception cref="ArithmeticException">(Raised during the run) a training loss was NaN or infinite.</exception>
    public IDisposable AttachTo(Runner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return runner.BatchCompleted.Subscribe(e =>
        {
            if (e.Stage == Stage.Train && e.Loss is { } loss && e.GlobalStep % Interval == 0)
            {
                var value = HostTransfers.ToDouble(loss);
                if (!double.IsFinite(value))
                {
                    throw new ArithmeticException($"The training loss is {value} at epoch {e.Epoch}, batch {e.Batch} (global step {e.GlobalStep}); the run was stopped. Lower the learning rate, clip gradients or check the data of that batch.");
                }
            }
        });
    }
}
