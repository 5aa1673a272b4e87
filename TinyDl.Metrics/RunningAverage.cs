using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// An exponential moving average of a per-batch value within an epoch (as PyTorch Ignite's
/// <c>RunningAverage</c>): r = v₁ on the first batch, then r = alpha r + (1 - alpha) v. For smooth
/// progress displays; the epoch's value is the average after its last batch. The value is the step's
/// loss by default, or any scalar a selector picks (a tensor is averaged to a scalar first).
/// Named <c>running_loss</c> by default.
/// </summary>
/// <remarks>
/// The average stays on the device; <see cref="ReadCurrent"/> copies it to the host, one transfer per
/// call, so a display that reads it every batch pays one synchronisation per batch. Reset every epoch.
/// </remarks>
public sealed class RunningAverage : Metric
{
    private readonly Func<BatchCompleted, Tensor?> _selector;
    private Tensor? _average;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>running_loss</c>.</param>
    /// <param name="selector">Picks the value from a batch; defaults to the step's loss.</param>
    /// <param name="alpha">The weight of the past, in [0, 1). Defaults to 0.98.</param>
    /// <param name="higherIsBetter">True when larger values are better. Defaults to false.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is outside [0, 1).</exception>
    public RunningAverage(string name = "running_loss", Func<BatchCompleted, Tensor?>? selector = null, double alpha = 0.98, bool higherIsBetter = false)
        : base(name, higherIsBetter)
    {
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The smoothing factor must be in [0, 1).");
        }

        _selector = selector ?? BatchValue.StepLoss;
        Alpha = alpha;
    }

    /// <summary>The weight of the past.</summary>
    public double Alpha { get; }

    /// <inheritdoc />
    public override void Reset()
    {
        _average?.Dispose();
        _average = null;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The selector returned null (with the default selector: no loss was computed).</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var value = BatchValue.Read(Name, batch, _selector).detach().to_type(ScalarType.Float64).mean();
        if (_average is null || _average.device_type != value.device_type || _average.device_index != value.device_index)
        {
            _average?.Dispose();
            _average = value.clone().DetachFromDisposeScope();
        }
        else
        {
            _average.mul_(Alpha).add_(value, 1 - Alpha);
        }
    }

    /// <summary>The average so far in this epoch; one host transfer per call.</summary>
    /// <returns>The current average.</returns>
    /// <exception cref="InvalidOperationException">No batch was seen since the last reset.</exception>
    public double ReadCurrent() => Compute();

    /// <inheritdoc />
    public override double Compute()
    {
        if (_average is not null)
        {
            using var scope = NewDisposeScope();
            return HostTransfers.ToDouble(_average);
        }

        ThrowNoSamples();
        return double.NaN;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Reset();
        }

        base.Dispose(disposing);
    }
}
