using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The mean over an epoch of a value each batch provides, weighted by samples: the step's loss by
/// default, or any value a selector picks from the batch. A scalar counts as the mean of the batch's
/// <see cref="BatchCompleted.Size"/> samples; a tensor with the batch's samples along its first
/// dimension (per-sample values) counts every element once.
/// </summary>
/// <example><code>
/// new Mean("output_norm", b => b.Output!.norm(dim: 1));  // per-sample values [N]
/// new Mean("mean_loss");                                   // the step's loss, as Loss
/// </code></example>
public sealed class Mean : Metric
{
    private readonly Func<BatchCompleted, Tensor?> _selector;
    private readonly SampleMean _mean = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name.</param>
    /// <param name="selector">Picks the value from a batch, on the batch's device; tensors it creates are freed after the call. Defaults to the step's loss.</param>
    /// <param name="higherIsBetter">True when larger values are better. Defaults to false.</param>
    public Mean(string name, Func<BatchCompleted, Tensor?>? selector = null, bool higherIsBetter = false)
        : base(name, higherIsBetter)
    {
        _selector = selector ?? BatchValue.StepLoss;
    }

    /// <inheritdoc />
    public override void Reset() => _mean.Reset();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The selector returned null (with the default selector: no loss was computed).</exception>
    /// <exception cref="ArgumentException">The value is neither a scalar nor per-sample.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var value = BatchValue.Read(Name, batch, _selector).detach();
        if (value.Dimensions == 0)
        {
            _mean.Add(value.to_type(ScalarType.Float64) * batch.Size, batch.Size);
        }
        else
        {
            _mean.Add(value.to_type(ScalarType.Float64).sum(), value.numel());
        }
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_mean.IsEmpty)
        {
            ThrowNoSamples();
        }

        return _mean.Mean();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mean.Dispose();
        }

        base.Dispose(disposing);
    }
}
