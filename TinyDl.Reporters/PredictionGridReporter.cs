using System.Globalization;
using System.Text;
using TinyDl.Reporters.Internal;
using static TorchSharp.torch;

namespace TinyDl.Reporters;

/// <summary>
/// For an image classifier: after every validation and test epoch, a grid of the <see cref="Count"/>
/// predictions with the highest loss and a grid of as many correct ones drawn at random, each image with
/// its true and predicted label and the predicted probability. Written to
/// <c>predictions/&lt;stage&gt;-epoch-&lt;NNNN&gt;-worst.png</c> and <c>...-correct.png</c>, with a CSV of each
/// (sample position in the epoch, labels, probability, loss); with <see cref="TensorBoard"/>, as images
/// <c>&lt;stage&gt;/worst_predictions</c> and <c>&lt;stage&gt;/correct_predictions</c> too.
/// </summary>
/// <remarks>
/// The selection is exact over the epoch and deterministic: the worst are the k highest losses (cross
/// entropy of the logits, ties to the earlier sample); the correct ones are the k correct samples with the
/// highest random keys from a generator seeded with <see cref="Seed"/> and the epoch, so the same data in the
/// same order gives the same grid. Each batch's candidates are merged with the k kept so far on the
/// device; only the k kept reach the host, once per epoch. The model's output must be logits [batch, C]
/// and the input C x H x W pixels per sample (any layout with H x W values). Pixels are shown min-max
/// scaled per image. Not thread-safe: attach it to one run at a time.
/// </remarks>
public sealed class PredictionGridReporter : Reporter
{
    private readonly IReadOnlyList<string> _labels;
    private readonly TopCandidates _worst;
    private readonly TopCandidates _correct;
    private Generator? _generator;
    private long _seen;

    /// <summary>Creates a reporter that writes into <paramref name="directory"/>.</summary>
    /// <param name="directory">The run's directory.</param>
    /// <param name="labels">The class labels, in class order.</param>
    /// <param name="imageHeight">The height of an input image, in pixels.</param>
    /// <param name="imageWidth">The width of an input image, in pixels.</param>
    /// <param name="count">How many predictions each grid shows. Defaults to 16.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or fewer than two labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A size or the count is not positive.</exception>
    public PredictionGridReporter(string directory, IReadOnlyList<string> labels, int imageHeight, int imageWidth, int count = 16)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(imageWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        Directory = directory;
        _labels = PredictionFiles.CheckLabels(labels, nameof(labels));
        ImageHeight = imageHeight;
        ImageWidth = imageWidth;
        Count = count;
        _worst = new TopCandidates(count);
        _correct = new TopCandidates(count);
    }

    /// <summary>The run directory the files go under.</summary>
    public string Directory { get; }

    /// <summary>The height of an input image.</summary>
    public int ImageHeight { get; }

    /// <summary>The width of an input image.</summary>
    public int ImageWidth { get; }

    /// <summary>How many predictions each grid shows.</summary>
    public int Count { get; }

    /// <summary>The seed of the random choice of correct predictions. Defaults to 0.</summary>
    public long Seed { get; init; }

    /// <summary>A TensorBoard reporter of the same run to also write the grids into; null for none. Defaults to null.</summary>
    public TensorBoardReporter? TensorBoard { get; init; }

    /// <inheritdoc />
    protected override int BatchInterval => 1;

    /// <inheritdoc />
    protected override void OnEpochStarted(EpochStarted e)
    {
        _worst.Reset();
        _correct.Reset();
        _seen = 0;
        _generator?.Dispose();
        _generator = null;
    }

    /// <inheritdoc />
    protected override void OnBatchCompleted(BatchCompleted e)
    {
        if (e.Stage == Stage.Train || e.Input is null || ClassifierBatch.Of(e, _labels.Count, Name) is not { } batch)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var n = e.Size;
        var pixels = e.Input.reshape(n, -1).to(ScalarType.Float32);
        if (pixels.shape[1] != ImageHeight * ImageWidth)
        {
            throw new InvalidOperationException($"{Name} shows {ImageHeight} x {ImageWidth} images; a {e.Stage.ToName()} input sample has {pixels.shape[1]} values.");
        }

        var device = batch.LogProbabilities.device;
        var loss = batch.LogProbabilities.gather(1, batch.Targets.unsqueeze(1)).squeeze(1).neg();
        var (top, predicted) = batch.LogProbabilities.max(1);
        var sample = arange(_seen, _seen + n, ScalarType.Float32, device);
        var columns = stack([sample, batch.Targets.to(ScalarType.Float32), predicted.to(ScalarType.Float32), top.exp(), loss], 1);
        // Rows (columns and pixels) are made only for the samples a grid may keep, not for the whole batch.
        Tensor RowsOf(Tensor positions) => cat([columns.index_select(0, positions), pixels.index_select(0, positions)], 1);
        _worst.Offer(loss, RowsOf);

        _generator ??= new Generator(unchecked((ulong)((Seed * 1_000_003) + ((long)e.Stage * 10_007) + e.Epoch)), device);
        var keys = rand([n], dtype: ScalarType.Float32, device: device, generator: _generator);
        var correct = predicted.eq(batch.Targets).nonzero().squeeze(1);
        _correct.Offer(keys.index_select(0, correct), positions => RowsOf(correct.index_select(0, positions)));
        _seen += n;
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (e.Stage == Stage.Train)
        {
            return;
        }

        var images = new List<Tensorboard.Summary.Types.Value>();
        foreach (var (kind, title, candidates) in new[] { ("worst", "highest loss", _worst), ("correct", "correct, at random", _correct) })
        {
            var entries = candidates.Take();
            var png = GridImage.Png(entries, ImageHeight, ImageWidth, _labels, string.Create(CultureInfo.InvariantCulture, $"{e.Stage.ToName()} epoch {e.Epoch}: {title}"));
            PredictionFiles.Write(PredictionFiles.PathOf(Directory, e.Stage, e.Epoch, kind, "png"), png);
            PredictionFiles.Write(PredictionFiles.PathOf(Directory, e.Stage, e.Epoch, kind, "csv"), Csv(entries));
            var (width, height) = GridImage.Size(entries.Count, ImageHeight, ImageWidth);
            images.Add(PluginSummaries.Image($"{e.Stage.ToName()}/{kind}_predictions", png, width, height));
        }

        TensorBoard?.Write(e.GlobalStep, images);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _worst.Dispose();
            _correct.Dispose();
            _generator?.Dispose();
        }

        base.Dispose(disposing);
    }

    private string Csv(List<PredictionEntry> entries)
    {
        var text = new StringBuilder("sample,true,predicted,probability,loss\n");
        foreach (var entry in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.Sample},{PredictionFiles.Field(_labels[entry.Target])},{PredictionFiles.Field(_labels[entry.Predicted])},{entry.Probability:R},{entry.Loss:R}\n");
        }

        return text.ToString();
    }
}
