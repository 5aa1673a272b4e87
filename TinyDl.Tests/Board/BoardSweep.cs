using System.Globalization;
using System.Text;
using TinyDl.Runs;

namespace TinyDl.Tests.Board;

/// <summary>
/// A temporary directory of runs as TinyDl writes them (run.json and metrics.csv with CsvReporter's header),
/// in a sweep folder, with known values: train_loss = a / epoch, validation_loss = a / epoch + 0.1, a from lr
/// and hidden. Deleted on dispose.
/// </summary>
internal sealed class BoardSweep : IDisposable
{
    public const string Header = "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,duration";
    private readonly List<RunLock> _locks = [];

    public BoardSweep()
    {
        Root = Path.Combine(Path.GetTempPath(), $"tinydl-board-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public static string Name(double lr, int hidden) => string.Create(CultureInfo.InvariantCulture, $"sweep/lr={lr}_hidden={hidden}");

    public static double Scale(double lr, int hidden) => 1 + (lr * 10) + (hidden / 1000.0);

    public static double TrainLoss(double lr, int hidden, int epoch) => Scale(lr, hidden) / epoch;

    public static double ValidationLoss(double lr, int hidden, int epoch) => (Scale(lr, hidden) / epoch) + 0.1;

    /// <summary>Writes a run of <paramref name="epochs"/> epochs; a running one holds its lock until dispose.</summary>
    public string Add(double lr, int hidden, int epochs, RunStatus status = RunStatus.Completed, int planned = 0)
    {
        var run = Name(lr, hidden);
        var directory = Path.Combine(Root, run);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "metrics.csv"), Header + "\n");
        for (var e = 1; e <= epochs; e++)
        {
            AppendRow(directory, lr, hidden, e);
        }

        WriteManifest(directory, lr, hidden, epochs, status, planned == 0 ? epochs : planned);
        if (status == RunStatus.Running)
        {
            _locks.Add(RunLock.Acquire(directory));
        }

        return run;
    }

    /// <summary>Appends one epoch to a run, row then manifest, as CsvReporter and ManifestWriter do.</summary>
    public void AppendEpoch(double lr, int hidden, int epoch, int planned)
    {
        var directory = Path.Combine(Root, Name(lr, hidden));
        AppendRow(directory, lr, hidden, epoch);
        WriteManifest(directory, lr, hidden, epoch, RunStatus.Running, planned);
    }

    public string AddDamaged(string run)
    {
        var directory = Path.Combine(Root, run);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, RunManifest.FileName), "{ not json");
        return run;
    }

    public void Dispose()
    {
        foreach (var held in _locks)
        {
            held.Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }

    private static void AppendRow(string directory, double lr, int hidden, int e)
    {
        var row = string.Create(CultureInfo.InvariantCulture, $"{e},{TrainLoss(lr, hidden, e):R},{0.5 + (0.4 * e / (e + 1.0)):R},{ValidationLoss(lr, hidden, e):R},{0.5 + (0.3 * e / (e + 1.0)):R},1.5\n");
        using var stream = new FileStream(Path.Combine(directory, "metrics.csv"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
        stream.Write(Encoding.UTF8.GetBytes(row));
    }

    private static void WriteManifest(string directory, double lr, int hidden, int epoch, RunStatus status, int planned)
    {
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        new RunManifest
        {
            Name = Path.GetFileName(directory),
            ExperimentId = string.Create(CultureInfo.InvariantCulture, $"id-{lr}-{hidden}"),
            Hyperparameters = new Dictionary<string, object> { ["lr"] = lr, ["hidden"] = hidden },
            Seed = 42,
            Status = status,
            StartedAt = started,
            UpdatedAt = started.AddMinutes(epoch),
            Epoch = epoch,
            Epochs = planned,
            GlobalStep = epoch * 100L,
            Data = new Dictionary<string, string> { ["train"] = "sha256:train" + hidden, ["validation"] = "sha256:valid" + hidden },
            Metrics = epoch == 0 ? new Dictionary<string, MetricSummary>() : new Dictionary<string, MetricSummary>
            {
                ["train_loss"] = new(TrainLoss(lr, hidden, epoch), TrainLoss(lr, hidden, epoch), epoch, false),
                ["validation_loss"] = new(ValidationLoss(lr, hidden, epoch), ValidationLoss(lr, hidden, epoch), epoch, false),
                ["validation_accuracy"] = new(0.5 + (0.3 * epoch / (epoch + 1.0)), 0.5 + (0.3 * epoch / (epoch + 1.0)), epoch, true),
            },
        }.WriteTo(Path.Combine(directory, RunManifest.FileName));
    }
}
