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
    /// its loss is optional. Gradient accumulation, clipping and <see cref="NonFiniteLoss.Skip"/> apply to
    /// automatic optimization only (with manual optimization, <see cref="NonFiniteLoss.Fail"/> checks the loss
    /// the step returns, after its update). Defaults to false.
    /// </summary>
    public bool ManualOptimization { get; init; }

    /// <summary>
    /// What to do with a batch whose loss is NaN or infinite: <see cref="NonFiniteLoss.Fail"/> the run (naming
    /// the epoch, batch and step) before the loss reaches the weights, <see cref="NonFiniteLoss.Skip"/> the
    /// batch, or <see cref="NonFiniteLoss.Allow"/> it. Checking costs one copy of the loss to the host per
    /// batch. Defaults to <see cref="NonFiniteLoss.Fail"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined policy.</exception>
    public NonFiniteLoss NonFiniteLoss
    {
        get;
        init
        {
            if (!Enum.IsDefined(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Use NonFiniteLoss.Fail, Skip or Allow.");
            }

            field = value;
        }
    }

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

        if (ManualOptimization && (AccumulationSteps != 1 || ClipGradientNorm is not null || ClipGradientValue is not null || NonFiniteLoss == NonFiniteLoss.Skip))
        {
            throw new InvalidOperationException(
                "AccumulationSteps, ClipGradientNorm, ClipGradientValue and NonFiniteLoss.Skip apply to automatic optimization; with ManualOptimization the step applies its own.");
        }
    }
}
