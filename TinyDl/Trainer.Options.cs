namespace TinyDl;

/// <content>The trainer's options: how gradients are applied, batch limits and the non-finite loss policy.</content>
public sealed partial class Trainer
{
    /// <summary>
    /// Accumulate gradients over this many batches before each optimizer step, each batch's loss
    /// scaled by 1 / N, so N batches of size B train like one of size N x B; a short remainder at the
    /// end of an epoch is stepped too. <see cref="GlobalStep"/> still counts batches. Defaults to 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int AccumulationSteps
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1;

    /// <summary>Clip the gradients' total (2-)norm to this before each optimizer step; null, the default, for no clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public double? ClipGradientNorm
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            field = value;
        }
    }

    /// <summary>Clip every gradient element to [-value, value] before each optimizer step; null, the default, for no clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public double? ClipGradientValue
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            field = value;
        }
    }

    /// <summary>
    /// Whether the custom step updates the parameters itself (zero_grad, backward, optimizer steps), as
    /// a GAN's step does for its two optimizers; the trainer then only counts and reports the batch, and
    /// its loss is optional. Gradient accumulation, clipping and <see cref="SkipNonFiniteLoss"/> apply to
    /// automatic optimization only. Defaults to false.
    /// </summary>
    public bool ManualOptimization { get; init; }

    /// <summary>
    /// Whether to skip a batch whose loss is NaN or infinite: no backward, no optimizer step, no metric
    /// update and no <see cref="TinyDl.BatchCompleted"/>; it counts in <see cref="EpochCompleted.SkippedBatches"/>.
    /// Costs one host transfer per batch. To stop instead, attach a <c>NonFiniteLossGuard</c>. Defaults to false.
    /// </summary>
    public bool SkipNonFiniteLoss { get; init; }

    /// <summary>The number of batches skipped for a non-finite loss since the trainer was created.</summary>
    public long SkippedBatches { get; private set; }

    /// <summary>Train at most this many batches per epoch, for quick smoke runs; null, the default, for all.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int? MaxBatches
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            field = value;
        }
    }

    private void CheckOptions()
    {
        if (!ManualOptimization && Optimizers.Count == 0)
        {
            throw new InvalidOperationException("The trainer has no optimizer to step; give one, or set ManualOptimization when the step updates the parameters itself.");
        }

        if (ManualOptimization && (AccumulationSteps != 1 || ClipGradientNorm is not null || ClipGradientValue is not null || SkipNonFiniteLoss))
        {
            throw new InvalidOperationException(
                "AccumulationSteps, ClipGradientNorm, ClipGradientValue and SkipNonFiniteLoss apply to automatic optimization; with ManualOptimization the step applies its own.");
        }
    }
}
