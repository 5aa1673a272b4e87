using TinyDl.Reporters;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Reporters;

/// <summary>
/// Two epochs of a linear 4 -> 3 classifier whose inputs are read as 2 x 2 images, with a TensorBoard
/// reporter and the three prediction reporters writing into one temporary run directory (deleted on dispose).
/// Validation: 60 samples in batches of 7 (a short last batch).
/// </summary>
internal sealed class PredictionRun : IDisposable
{
    public const int ValidSamples = 60;
    public const int Kept = 5;
    public const int Thresholds = 11;
    public const long ValidSeed = 7 + 100;
    public static readonly string[] Labels = ["ant", "bee", "cat"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"tinydl-predictions-{Guid.NewGuid():N}");

    public PredictionRun(long gridSeed = 3)
    {
        Directory = Path.Combine(_root, "lr=0.1");
        manual_seed(7);
        var (x, y) = Synthetic.Classification(50, 7);
        var (vx, vy) = Synthetic.Classification(ValidSamples, ValidSeed);
        Model = nn.Linear(4, 3);
        var optimizer = optim.SGD(Model.parameters(), 0.1);
        var loss = nn.CrossEntropyLoss();
        using var trainer = new Trainer(Model, new TensorBatches(x, y, 8, shuffle: true, seed: 7), optimizer, loss, [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy()]);
        using var validator = new Validator(Model, new TensorBatches(vx, vy, 7), loss, [new TinyDl.Metrics.Loss(), new TinyDl.Metrics.Accuracy(), new TinyDl.Metrics.ConfusionMatrix(3)]);
        using var runner = new Runner(trainer, validator) { Experiment = new Experiment([new("lr", 0.1), new("seed", 7L)]) };
        using var tensorBoard = new TensorBoardReporter(Directory);
        using var confusion = new ConfusionMatrixReporter(Directory, Labels) { TensorBoard = tensorBoard };
        using var grid = new PredictionGridReporter(Directory, Labels, 2, 2, Kept) { TensorBoard = tensorBoard, Seed = gridSeed };
        using var curves = new PrCurveReporter(tensorBoard, Labels) { Thresholds = Thresholds };
        using (runner.Attach(tensorBoard, confusion, grid, curves))
        {
            runner.Run(2);
        }

        MostConfused = confusion.MostConfused;
        EventFile = tensorBoard.FilePath!;
    }

    public string Directory { get; }

    public TorchSharp.Modules.Linear Model { get; }

    public string EventFile { get; }

    public IReadOnlyList<ConfusedPair> MostConfused { get; }

    public string File(string name) => Path.Combine(Directory, "predictions", name);

    /// <summary>The model's validation logits after the run (the weights epoch 2 validated), on the host.</summary>
    public (float[][] Logits, long[] Targets) Reference()
    {
        var (vx, vy) = Synthetic.Classification(ValidSamples, ValidSeed);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logits = Model.call(vx);
        var flat = logits.data<float>().ToArray();
        return ([.. Enumerable.Range(0, ValidSamples).Select(i => flat[(i * 3)..((i * 3) + 3)])], vy.data<long>().ToArray());
    }

    public static double[] Softmax(float[] logits)
    {
        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }

    public void Dispose()
    {
        Model.Dispose();
        if (System.IO.Directory.Exists(_root))
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
    }
}
