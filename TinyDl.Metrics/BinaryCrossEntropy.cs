using TinyDl.Metrics.Internal;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The binary cross-entropy of the epoch, as TorchSharp's <c>binary_cross_entropy_with_logits</c>
/// (with <see cref="Scores"/> set to logits) or, with <see cref="Scores"/> set to probabilities, <c>binary_cross_entropy</c>, whose logarithms
/// are clamped at -100, with mean reduction over the whole epoch: the mean over every element. Output
/// [N] or [N, 1] (one score per sample) or [N, L] (multi-label); target of the same shape (a [N] target
/// also fits a [N, 1] output) holding 0/1 labels or probabilities. Named <c>binary_cross_entropy</c>.
/// </summary>
public sealed class BinaryCrossEntropy : Metric
{
    private readonly SampleMean _loss = new();

    /// <summary>Creates the metric.</summary>
    /// <param name="name">The reported name. Defaults to <c>binary_cross_entropy</c>.</param>
    public BinaryCrossEntropy(string name = "binary_cross_entropy")
        : base(name, higherIsBetter: false)
    {
    }

    /// <summary>
    /// Whether the output holds logits or probabilities. Defaults to null, which the first batch refuses:
    /// the two give different values and neither can be told from the numbers.
    /// </summary>
    public ScoreKind? Scores { get; init; }

    /// <inheritdoc />
    public override void Reset() => _loss.Reset();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The output is not floating point or the target's shape differs from it.</exception>
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
        if (Shapes.IsSingleScore(output) && Shapes.IsSingleScore(target))
        {
            output = output.reshape(-1);
            target = target.reshape(-1);
        }

        if (!output.shape.SequenceEqual(target.shape))
        {
            throw Shapes.Error(Name, "a target of the output's shape", batch);
        }

        var kind = ClassLabels.RequireKind(Name, Scores, batch);
        using var scope = NewDisposeScope();
        target = target.to_type(output.dtype);
        var loss = kind == ScoreKind.Logits
            ? nn.functional.binary_cross_entropy_with_logits(output, target, reduction: nn.Reduction.Sum)
            : nn.functional.binary_cross_entropy(output, target, reduction: nn.Reduction.Sum);
        _loss.Add(loss, output.numel());
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (_loss.IsEmpty)
        {
            ThrowNoSamples();
        }

        return _loss.Mean();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _loss.Dispose();
        }

        base.Dispose(disposing);
    }
}
