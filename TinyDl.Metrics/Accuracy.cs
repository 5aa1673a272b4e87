using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The fraction of samples classified correctly over an epoch. Multi-class: the output holds one
/// score (logit or probability) per class, shape [N, C], and the target holds class indices [N] or
/// one-hot / probability rows [N, C]. Binary: the output holds one logit (or, with
/// <see cref="Scores"/>, one probability) per sample, shape [N] or [N, 1], predicted positive above
/// <see cref="Threshold"/>; the target holds 0/1 labels. Named <c>accuracy</c>.
/// </summary>
public sealed class Accuracy : MeanMetric
{
    private readonly double _threshold = 0.5;

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>accuracy</c>.</param>
    public Accuracy(string name = "accuracy")
        : base(name, higherIsBetter: true)
    {
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

    /// <summary>Whether a single score per sample is a logit or a probability. Defaults to <see cref="ScoreKind.Logits"/>.</summary>
    public ScoreKind Scores { get; init; } = ScoreKind.Logits;

    /// <inheritdoc />
    protected override (Tensor Sum, long Count) Measure(BatchCompleted batch)
    {
        var (predicted, labels) = ClassLabels.Of(Name, batch, null, Threshold, Scores);
        return (predicted.eq(labels).sum(), batch.Size);
    }
}
