using System.Globalization;
using System.Text;
using TinyDl.Reporters.Internal;

namespace TinyDl.Reporters;

/// <summary>
/// Saves the confusion matrix of every validation and test epoch (the matrix a <c>ConfusionMatrix</c>
/// metric of that stage computed, <see cref="EpochCompleted.Matrices"/>) in the run directory:
/// <c>predictions/&lt;stage&gt;-epoch-&lt;NNNN&gt;-confusion.csv</c> (rows the true class, columns the
/// predicted one), a rendered <c>...-confusion.png</c>, and <c>...-confused.csv</c> with the most
/// confused class pairs; with <see cref="TensorBoard"/>, the image as <c>&lt;stage&gt;/confusion_matrix</c> too.
/// </summary>
/// <remarks>
/// It reads the plain counts the epoch event carries, so it costs nothing per batch. Files are written
/// atomically when the stage's epoch completes; an epoch without the matrix (no such metric, or a NaN score)
/// writes nothing. Images are rendered with SkiaSharp. Not thread-safe: attach it to one run at a time.
/// </remarks>
public sealed class ConfusionMatrixReporter : Reporter
{
    private readonly IReadOnlyList<string> _labels;

    /// <summary>Creates a reporter that writes into <paramref name="directory"/>.</summary>
    /// <param name="directory">The run's directory.</param>
    /// <param name="labels">The class labels, in class order, as many as the matrix has rows.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="directory"/> is empty, or fewer than two labels, or an empty one.</exception>
    public ConfusionMatrixReporter(string directory, IReadOnlyList<string> labels)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
        _labels = PredictionFiles.CheckLabels(labels, nameof(labels));
    }

    /// <summary>The run directory the files go under.</summary>
    public string Directory { get; }

    /// <summary>The name of the matrix in <see cref="EpochCompleted.Matrices"/>. Defaults to <c>confusion_matrix</c>.</summary>
    /// <exception cref="ArgumentException">The value is null or empty.</exception>
    public string Matrix
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            field = value;
        }
    } = "confusion_matrix";

    /// <summary>How many most confused pairs to list. Defaults to 5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int Pairs
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    } = 5;

    /// <summary>A TensorBoard reporter of the same run to also write the image into; null for none. Defaults to null.</summary>
    public TensorBoardReporter? TensorBoard { get; init; }

    /// <summary>The most confused pairs of the last matrix saved; empty before.</summary>
    public IReadOnlyList<ConfusedPair> MostConfused { get; private set; } = [];

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (e.Stage == Stage.Train || !e.Matrices.TryGetValue(Matrix, out var cells))
        {
            return;
        }

        if (cells.Rows != _labels.Count || cells.Columns != _labels.Count)
        {
            throw new InvalidOperationException($"The {e.Stage.ToName()} matrix '{Matrix}' is {cells.Rows} x {cells.Columns}, but the reporter has {_labels.Count} labels.");
        }

        var matrix = new long[cells.Rows, cells.Columns];
        for (var i = 0; i < cells.Rows; i++)
        {
            for (var j = 0; j < cells.Columns; j++)
            {
                matrix[i, j] = (long)cells[i, j];
            }
        }

        MostConfused = ConfusedPair.MostConfused(matrix, _labels, Pairs);
        PredictionFiles.Write(PredictionFiles.PathOf(Directory, e.Stage, e.Epoch, "confusion", "csv"), Csv(matrix));
        PredictionFiles.Write(PredictionFiles.PathOf(Directory, e.Stage, e.Epoch, "confused", "csv"), PairsCsv(MostConfused));
        var png = MatrixImage.Png(matrix, _labels, string.Create(CultureInfo.InvariantCulture, $"{e.Stage.ToName()} confusion matrix, epoch {e.Epoch}"));
        PredictionFiles.Write(PredictionFiles.PathOf(Directory, e.Stage, e.Epoch, "confusion", "png"), png);
        var (width, height) = MatrixImage.Size(_labels.Count);
        TensorBoard?.Write(e.GlobalStep, [PluginSummaries.Image($"{e.Stage.ToName()}/confusion_matrix", png, width, height)]);
    }

    private string Csv(long[,] matrix)
    {
        var text = new StringBuilder("true\\predicted");
        foreach (var label in _labels)
        {
            text.Append(',').Append(PredictionFiles.Field(label));
        }

        text.Append('\n');
        for (var i = 0; i < _labels.Count; i++)
        {
            text.Append(PredictionFiles.Field(_labels[i]));
            for (var j = 0; j < _labels.Count; j++)
            {
                text.Append(',').Append(matrix[i, j].ToString(CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private static string PairsCsv(IReadOnlyList<ConfusedPair> pairs)
    {
        var text = new StringBuilder("true,predicted,count\n");
        foreach (var pair in pairs)
        {
            text.Append(CultureInfo.InvariantCulture, $"{PredictionFiles.Field(pair.True)},{PredictionFiles.Field(pair.Predicted)},{pair.Count}\n");
        }

        return text.ToString();
    }
}
