using TinyDl.Reporters.Internal;
using static TorchSharp.torch;

namespace TinyDl.Reporters;

/// <summary>
/// Writes one precision-recall curve per class (one class against the rest) for every validation and test
/// epoch into a <see cref="TensorBoardReporter"/>'s event file, as TensorBoard's <c>pr_curves</c> plugin
/// reads them: tag <c>&lt;stage&gt;/pr_curve/&lt;label&gt;</c>, a [6, <see cref="Thresholds"/>] float tensor of
/// true positives, false positives, true negatives, false negatives, precision and recall at thresholds
/// i / (thresholds - 1) on the softmax probability of the class.
/// </summary>
/// <remarks>
/// Exact over the epoch at the thresholds' resolution, as TensorBoard's own <c>pr_curve</c> summary:
/// every batch adds its probabilities to per-class histograms of positives and negatives kept on the device
/// (one <c>bincount</c> each); the histograms reach the host once per epoch. The model's output must be
/// logits [batch, C] and the target class indices. Not thread-safe: attach it to one run at a time.
/// </remarks>
public sealed class PrCurveReporter : Reporter
{
    private readonly IReadOnlyList<string> _labels;
    private Tensor? _positives;
    private Tensor? _negatives;

    /// <summary>Creates a reporter that writes into <paramref name="tensorBoard"/>'s event file.</summary>
    /// <param name="tensorBoard">The TensorBoard reporter of the same run.</param>
    /// <param name="labels">The class labels, in class order.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Fewer than two labels, or an empty one.</exception>
    public PrCurveReporter(TensorBoardReporter tensorBoard, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(tensorBoard);
        TensorBoard = tensorBoard;
        _labels = PredictionFiles.CheckLabels(labels, nameof(labels));
    }

    /// <summary>The TensorBoard reporter written into.</summary>
    public TensorBoardReporter TensorBoard { get; }

    /// <summary>The number of thresholds of each curve, at least 2. Defaults to 101 (steps of 0.01).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 2.</exception>
    public int Thresholds
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 2);
            field = value;
        }
    } = 101;

    /// <inheritdoc />
    protected override int BatchInterval => 1;

    /// <inheritdoc />
    protected override void OnEpochStarted(EpochStarted e) => Reset();

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train || ClassifierBatch.Of(e, _labels.Count, Name) is not { } batch)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var classes = _labels.Count;
        var probabilities = batch.LogProbabilities.exp();
        var buckets = probabilities.mul(Thresholds - 1).floor().clamp(0, Thresholds - 1).to(ScalarType.Int64);
        var cells = buckets.add(arange(classes, device: buckets.device).mul(Thresholds).unsqueeze(0)).flatten();
        var positive = nn.functional.one_hot(batch.Targets, classes).to(ScalarType.Float64).flatten();
        var size = classes * Thresholds;
        var positives = cells.bincount(positive, size);
        var negatives = cells.bincount(positive.neg().add(1), size);
        Accumulate(ref _positives, positives);
        Accumulate(ref _negatives, negatives);
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (e.Stage == Stage.Train || _positives is null || _negatives is null)
        {
            return;
        }

        double[] positives, negatives;
        using (var p = _positives.cpu())
        using (var n = _negatives.cpu())
        {
            positives = p.data<double>().ToArray();
            negatives = n.data<double>().ToArray();
        }

        Reset();
        var values = new List<Tensorboard.Summary.Types.Value>();
        for (var c = 0; c < _labels.Count; c++)
        {
            values.Add(PluginSummaries.PrCurve($"{e.Stage.ToName()}/pr_curve/{_labels[c]}", Curve(positives.AsSpan(c * Thresholds, Thresholds), negatives.AsSpan(c * Thresholds, Thresholds)), Thresholds));
        }

        TensorBoard.Write(e.GlobalStep, values);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Reset();
        }

        base.Dispose(disposing);
    }

    // TP[i] counts positives whose probability falls in bucket i or above (threshold i / (N - 1)), as
    // TensorBoard's pr_curve summary; precision and recall divide by at least 1e-7 as it does.
    private float[] Curve(ReadOnlySpan<double> positives, ReadOnlySpan<double> negatives)
    {
        var n = Thresholds;
        var rows = new float[6 * n];
        double tp = 0, fp = 0, totalPositives = 0, totalNegatives = 0;
        foreach (var v in positives)
        {
            totalPositives += v;
        }

        foreach (var v in negatives)
        {
            totalNegatives += v;
        }

        for (var i = n - 1; i >= 0; i--)
        {
            tp += positives[i];
            fp += negatives[i];
            rows[i] = (float)tp;
            rows[n + i] = (float)fp;
            rows[(2 * n) + i] = (float)(totalNegatives - fp);
            rows[(3 * n) + i] = (float)(totalPositives - tp);
            rows[(4 * n) + i] = (float)(tp / Math.Max(1e-7, tp + fp));
            rows[(5 * n) + i] = (float)(tp / Math.Max(1e-7, totalPositives));
        }

        return rows;
    }

    private static void Accumulate(ref Tensor? total, Tensor batch)
    {
        if (total is null)
        {
            total = batch.DetachFromDisposeScope();
        }
        else
        {
            total.add_(batch);
        }
    }

    private void Reset()
    {
        _positives?.Dispose();
        _negatives?.Dispose();
        _positives = null;
        _negatives = null;
    }
}
