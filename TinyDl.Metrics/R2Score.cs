using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The coefficient of determination R² = 1 - SS_res / SS_tot over the epoch, as scikit-learn's
/// <c>r2_score</c>: for several outputs ([N, D]) the uniform average of each output's R²; an output
/// whose targets are constant scores 1 when predicted exactly and 0 otherwise; fewer than two
/// samples leave it undefined (NaN with a warning in a run, as scikit-learn warns). Output [N] or [N, D]; target of the same shape. Named <c>r2</c>.
/// </summary>
/// <remarks>
/// Accumulates per output, on the device, the squared residuals and the sums of the targets and their
/// squares after subtracting the epoch's first target (which keeps SS_tot accurate when the targets'
/// mean is large compared with their spread).
/// </remarks>
public sealed class R2Score : Metric
{
    private readonly DeviceSum _sums = new(); // [3, D]: residual squares, shifted target sum, shifted target squares
    private Tensor? _shift;
    private long _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>r2</c>.</param>
    public R2Score(string name = "r2")
        : base(name, higherIsBetter: true)
    {
    }

    /// <inheritdoc />
    public override void Reset()
    {
        _sums.Reset();
        _shift?.Dispose();
        _shift = null;
        _count = 0;
    }

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
        output = output.reshape(batch.Size, -1);
        target = target.reshape(batch.Size, -1);
        _shift ??= target[0].clone().DetachFromDisposeScope();
        if (_shift.size(0) != target.size(1))
        {
            throw Shapes.Error(Name, $"{_shift.size(0)} output(s) per sample like the epoch's earlier batches", batch);
        }

        // Stryker disable once Arithmetic : any constant shift leaves the variance unchanged; the sign only changes rounding
        var shifted = target - _shift.to(target.device);
        _sums.Add(stack([(output - target).square().sum(0L), shifted.sum(0L), shifted.square().sum(0L)]));
        _count += batch.Size;
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_count == 0)
        {
            ThrowNoSamples();
        }

        if (_count < 2)
        {
            ThrowUndefined("R² needs at least two samples (the targets' variance); the epoch had one");
        }

        double[] sums;
        using (NewDisposeScope())
        {
            sums = _sums.ToArray();
        }

        var outputs = sums.Length / 3;
        double total = 0;
        for (var d = 0; d < outputs; d++)
        {
            var (residual, sum, squares) = (sums[d], sums[outputs + d], sums[(2 * outputs) + d]);
            var spread = Math.Max(squares - (sum * sum / _count), 0);
            total += spread == 0 ? (residual == 0 ? 1 : 0) : 1 - (residual / spread);
        }

        return total / outputs;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sums.Dispose();
            _shift?.Dispose();
            _shift = null;
        }

        base.Dispose(disposing);
    }
}
