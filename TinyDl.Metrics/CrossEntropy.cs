using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The cross-entropy of the epoch, from logits, exactly as TorchSharp's <c>cross_entropy</c> with mean
/// reduction would compute it over the whole epoch at once: sum of w[y] * -log softmax(x)[y] over the
/// non-ignored targets, divided by the sum of their weights w[y]. Output [N, C] (or [N, C, d...]),
/// target class indices [N] (or [N, d...]), one-hot integer rows of the output's shape (taken as class
/// indices, like the other metrics), or class probabilities of the output's shape (floating point; then the
/// mean is over samples and <see cref="IgnoreIndex"/> does not apply). Named <c>cross_entropy</c>; give
/// a second one on the same stage another name (<c>new CrossEntropy(weights, name: "weighted_ce")</c>).
/// </summary>
/// <remarks>
/// When every target of the epoch is ignored the value is undefined (TorchSharp's loss is NaN): an
/// <see cref="UndefinedMetricException"/>, NaN with a warning in a run. A class index outside [0, C) fails
/// <see cref="Compute()"/> naming its sample, instead of libtorch's native error. NaN scores give NaN.
/// </remarks>
public sealed class CrossEntropy : Metric
{
    private readonly Tensor? _weights;
    private readonly DeviceSum _sums = new(); // [summed loss, summed weight, invalid targets]
    private readonly TargetCheck _check;
    private long _classes;

    /// <summary>Creates the metric.</summary>
    /// <param name="classWeights">A weight per class, as the loss's <c>weight</c>; null weighs every class 1.</param>
    /// <param name="ignoreIndex">A target class index to leave out, as the loss's <c>ignore_index</c>. Defaults to -100.</param>
    /// <param name="name">The reported name. Defaults to <c>cross_entropy</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="classWeights"/> is empty.</exception>
    public CrossEntropy(IReadOnlyList<double>? classWeights = null, long ignoreIndex = -100, string name = "cross_entropy")
        : base(name, higherIsBetter: false)
    {
        if (classWeights is { Count: 0 })
        {
            throw new ArgumentException("Class weights need one value per class; got none.", nameof(classWeights));
        }

        using var scope = NewDisposeScope();
        _weights = classWeights is null ? null : tensor(classWeights.ToArray(), ScalarType.Float64).DetachFromDisposeScope();
        IgnoreIndex = ignoreIndex;
        _check = new TargetCheck(Name);
    }

    /// <summary>The target class index left out.</summary>
    public long IgnoreIndex { get; }

    /// <inheritdoc />
    public override void Reset()
    {
        _sums.Reset();
        _check.Reset();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output is not [N, C, ...] floating point, or the target does not match it.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        Shapes.RequireScores(Name, batch);
        var output = Shapes.Output(Name, batch);
        var target = Shapes.Target(Name, batch);
        var classes = output.Dimensions >= 2 ? output.size(1) : 0;
        if (classes == 0 || (_weights is not null && _weights.size(0) != classes))
        {
            throw Shapes.Error(Name, _weights is null ? "logits of shape [N, C] or [N, C, d...]" : $"logits of shape [N, {_weights.size(0)}] (one per class weight)", batch);
        }

        using var scope = NewDisposeScope();
        var weights = _weights?.to(output.device).to_type(output.dtype);
        var indices = Shapes.IsIntegral(target);
        var expected = output.shape.Take(1).Concat(output.shape.Skip(2));
        if (indices && (target.shape.SequenceEqual(expected) || target.shape.SequenceEqual(output.shape)))
        {
            // One-hot integer rows are class indices, as for the other metrics; an index outside [0, C)
            // is left out of the loss (libtorch would fail natively) and reported at Compute with its sample.
            Tensor valid;
            var rows = !target.shape.SequenceEqual(expected);
            if (!rows)
            {
                target = target.to_type(ScalarType.Int64);
                valid = ClassLabels.InRange(target, classes).logical_or_(target.eq(IgnoreIndex));
            }
            else
            {
                valid = ClassLabels.IsDistribution(target);
                target = target.argmax(1);
            }

            _check.Add(valid, rows, batch.Size);
            var invalid = valid.logical_not();
            target = target.masked_fill(invalid, IgnoreIndex);
            var kept = target.ne(IgnoreIndex);
            var safe = target.masked_fill(kept.logical_not(), 0);
            var weight = weights is null ? kept.sum() : (weights.index_select(0, safe.flatten()) * kept.flatten()).sum();
            Add(nn.functional.cross_entropy(output, target, weights, IgnoreIndex, nn.Reduction.Sum), weight, invalid.sum());
        }
        else if (!indices && target.shape.SequenceEqual(output.shape))
        {
            var loss = nn.functional.cross_entropy(output, target.to_type(output.dtype), weights, reduction: nn.Reduction.Sum);
            Add(loss, full_like(loss, output.numel() / classes), zeros_like(loss));
        }
        else
        {
            throw Shapes.Error(Name, $"a target of class indices (an integer type) of shape [{string.Join(", ", expected)}], one-hot integer rows or class probabilities shaped like the output", batch);
        }

        _classes = classes;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or a class index outside [0, C) (named by its position in the epoch).</exception>
    /// <exception cref="UndefinedMetricException">Every target of the epoch equals <see cref="IgnoreIndex"/>.</exception>
    public override double Compute()
    {
        if (_sums.IsEmpty)
        {
            ThrowNoSamples();
        }

        double[] sums;
        using (NewDisposeScope())
        {
            sums = _sums.ToArray();
        }

        if (sums[2] > 0)
        {
            throw _check.Error(sums[2], _classes);
        }

        if (sums[1] == 0)
        {
            ThrowUndefined($"every target of the epoch equals IgnoreIndex ({IgnoreIndex}), so no sample is left to average over (TorchSharp's loss is NaN too)");
        }

        return sums[0] / sums[1];
    }

    private void Add(Tensor loss, Tensor weight, Tensor invalid) =>
        _sums.Add(stack([loss.to_type(ScalarType.Float64), weight.to_type(ScalarType.Float64), invalid.to_type(ScalarType.Float64)]));

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sums.Dispose();
            _check.Dispose();
            _weights?.Dispose();
        }

        base.Dispose(disposing);
    }
}
