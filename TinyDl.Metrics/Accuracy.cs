using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The fraction of samples classified correctly over an epoch. Multi-class: the output holds one
/// score (logit or probability) per class, shape [N, C], and the target holds class indices [N] or
/// one-hot / probability rows [N, C]. Named <c>accuracy</c>.
/// </summary>
public sealed class Accuracy : Metric
{
    private readonly DeviceSum _correct = new();
    private long _count;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>accuracy</c>.</param>
    public Accuracy(string name = "accuracy")
        : base(name, higherIsBetter: true)
    {
    }

    /// <inheritdoc />
    public override void Reset()
    {
        _correct.Reset();
        _count = 0;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output is not [N, C] or the target does not match it.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var output = batch.Output;
        var target = batch.Target;
        if (output.Dimensions != 2 || output.size(0) != batch.Size)
        {
            throw new ArgumentException($"Metric '{Name}' expects an output of shape [N, C]; got [{string.Join(", ", output.shape)}].", nameof(batch));
        }

        if (batch.Size == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var labels = target.Dimensions switch
        {
            1 when target.size(0) == output.size(0) => target,
            2 when target.size(0) == output.size(0) && target.size(1) == output.size(1) => target.argmax(1),
            _ => throw new ArgumentException($"Metric '{Name}' expects a target of shape [N] (class indices) or [N, C] matching the output [{string.Join(", ", output.shape)}]; got [{string.Join(", ", target.shape)}].", nameof(batch)),
        };
        _correct.Add(output.argmax(1).eq(labels).sum());
        _count += batch.Size;
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_count == 0)
        {
            ThrowNoSamples();
        }

        return _correct.ToDouble() / _count;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _correct.Dispose();
        }

        base.Dispose(disposing);
    }
}
