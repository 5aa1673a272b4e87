using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The mean absolute error over every element of the epoch, as TorchSharp's <c>l1_loss</c> with mean
/// reduction over the whole epoch. Output [N] or [N, D...]; target of the same shape. Named <c>mae</c>.
/// </summary>
public sealed class MeanAbsoluteError : Metric
{
    private readonly SampleMean _errors = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>mae</c>.</param>
    public MeanAbsoluteError(string name = "mae")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    public override void Reset() => _errors.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output is not floating point or the target's shape differs from it.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var (output, target) = RegressionPair.Of(Name, batch);
        _errors.Add((output - target).abs().sum(), output.numel());
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_errors.IsEmpty)
        {
            ThrowNoSamples();
        }

        return _errors.Mean();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _errors.Dispose();
        }

        base.Dispose(disposing);
    }
}
