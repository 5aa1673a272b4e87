using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The mean squared error over every element of the epoch, as TorchSharp's <c>mse_loss</c> with mean
/// reduction over the whole epoch. Output [N] or [N, D...]; target of the same shape. Named <c>mse</c>.
/// </summary>
public sealed class MeanSquaredError : Metric
{
    private readonly SampleMean _squares = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>mse</c>.</param>
    public MeanSquaredError(string name = "mse")
        : base(name, higherIsBetter: false)
    {
    }

    /// <inheritdoc />
    public override void Reset() => _squares.Reset();

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
        _squares.Add((output - target).square().sum(), output.numel());
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_squares.IsEmpty)
        {
            ThrowNoSamples();
        }

        return _squares.Mean();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _squares.Dispose();
        }

        base.Dispose(disposing);
    }
}
