using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The fraction of samples classified correctly over an epoch. Multi-class: the output holds one
/// score (logit or probability) per class, shape [N, C], predicted class = argmax (a tie goes to the
/// lower class), and the target holds class indices [N] or one-hot / probability rows [N, C]. Binary:
/// the output holds one score per sample, shape [N] or [N, 1], predicted positive above
/// <see cref="Threshold"/>, and <see cref="Scores"/> must say whether it is a logit or a probability;
/// the target holds 0/1 labels. Named <c>accuracy</c>.
/// </summary>
/// <remarks>
/// A target outside [0, C) or a row that is not one-hot / a distribution (a multi-label row) fails
/// <see cref="Compute()"/> naming the first such sample; a NaN score makes the value undefined
/// (<see cref="UndefinedMetricException"/>, NaN with a warning in a run).
/// </remarks>
public sealed class Accuracy : Metric
{
    private readonly HitRate _hits;
    private readonly IndexHitBuffer _buffer;
    private readonly double _threshold = 0.5;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>accuracy</c>.</param>
    public Accuracy(string name = "accuracy")
        : base(name, higherIsBetter: true)
    {
        _hits = new HitRate(Name);
        _buffer = new IndexHitBuffer(_hits);
    }

    /// <summary>For one score per sample: the probability above which a sample is predicted positive. Defaults to 0.5 (a logit above 0).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not strictly between 0 and 1.</exception>
    public double Threshold
    {
        get => _threshold;
        init
        {
            ClassLabels.CheckThreshold(value, nameof(Threshold));
            _threshold = value;
        }
    }

    /// <summary>
    /// Whether a single score per sample is a logit or a probability. Defaults to null, which an output
    /// of one score per sample refuses (the threshold would mean different things); [N, C] outputs do not need it.
    /// </summary>
    public ScoreKind? Scores { get; init; }

    /// <inheritdoc />
    public override void Reset()
    {
        _buffer.Reset();
        _hits.Reset();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output or target has an unexpected shape or type.</exception>
    /// <exception cref="InvalidOperationException">One score per sample and <see cref="Scores"/> is not set.</exception>
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Size == 0)
        {
            return;
        }

        // The usual batch (scores [N, C], class indices [N]) is buffered on the device and reduced
        // once per epoch; any other batch first flushes the buffer, so the epoch's order is kept.
        if (batch.Output is { } output && batch.Target is { } target && IndexHitBuffer.Fits(output, target, batch.Size, out var count))
        {
            _buffer.Add(output, target, batch.Size, count);
            return;
        }

        _buffer.Flush();
        using var scope = NewDisposeScope();
        var classes = ClassLabels.Of(Name, batch, null, Threshold, Scores);
        _hits.Add(classes.Predicted.eq(classes.Labels), classes.Valid, classes.Nan, classes.Rows, classes.Classes);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No samples, or an invalid target (named by its position in the epoch).</exception>
    /// <exception cref="UndefinedMetricException">A score of the epoch was NaN.</exception>
    public override double Compute()
    {
        _buffer.Flush();
        return _hits.Compute();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
            _hits.Dispose();
        }

        base.Dispose(disposing);
    }
}
