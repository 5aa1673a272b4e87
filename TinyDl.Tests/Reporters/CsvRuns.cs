using TinyDl.Reporters;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

/// <summary>Runs and file reads shared by the CSV reporter's tests.</summary>
internal static class CsvRuns
{
    /// <summary>The header of a run of train and validation loss and accuracy.</summary>
    public const string Header = "epoch,train_loss,train_accuracy,validation_loss,validation_accuracy,duration";

    public static void Epoch(FakeRun run, int epoch, double trainLoss, double trainAccuracy, double validationLoss, double validationAccuracy, double seconds = 1.5)
    {
        run.Epoch(Stage.Train, epoch, epoch * 10, FakeRun.Values(("loss", trainLoss, false), ("accuracy", trainAccuracy, true)), seconds);
        run.Epoch(Stage.Validation, epoch, epoch * 10, FakeRun.Values(("loss", validationLoss, false), ("accuracy", validationAccuracy, true)), seconds);
    }

    public static void RunEpochs(string path, params (int Epoch, double TrainLoss)[] epochs)
    {
        using var reporter = new CsvReporter(path);
        var run = new FakeRun();
        using var subscription = reporter.AttachTo(run);
        run.Start(firstEpoch: epochs[0].Epoch);
        foreach (var (epoch, trainLoss) in epochs)
        {
            Epoch(run, epoch, trainLoss, 0.6, 0.8, 0.65);
        }

        run.End(RunStatus.Completed, epochs[^1].Epoch, epochs[^1].Epoch * 10);
    }

    /// <summary>Reads the file as another process would while the reporter may still be writing it.</summary>
    public static string[] ReadLines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
