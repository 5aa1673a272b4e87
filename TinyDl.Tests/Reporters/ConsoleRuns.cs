using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Reporters;

/// <summary>Consoles and runs shared by the console reporter's tests.</summary>
internal static partial class ConsoleRuns
{
    /// <summary>A console like redirected output: no ANSI, no colours.</summary>
    public static TestConsole Redirected() => new TestConsole().Width(120).SupportsAnsi(false).Colors(ColorSystem.NoColors);

    /// <summary>Three epochs of train and validation loss and accuracy, then a completed run.</summary>
    public static void RunThreeEpochs(FakeRun run)
    {
        run.Start();
        (double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy)[] epochs =
            [(0.9, 0.6, 0.8, 0.65), (0.5, 0.7, 0.85, 0.7), (0.4, 0.65, 0.75, 0.7)];
        for (var i = 0; i < epochs.Length; i++)
        {
            var (trainLoss, trainAccuracy, validationLoss, validationAccuracy) = epochs[i];
            run.Epoch(Stage.Train, i + 1, (i + 1) * 10, FakeRun.Values(("loss", trainLoss, false), ("accuracy", trainAccuracy, true)));
            run.Epoch(Stage.Validation, i + 1, (i + 1) * 10, FakeRun.Values(("loss", validationLoss, false), ("accuracy", validationAccuracy, true)));
        }

        run.End(RunStatus.Completed, epochs.Length, epochs.Length * 10);
    }

    /// <summary>The text without its ANSI escape sequences.</summary>
    public static string StripAnsi(string text) => AnsiSequence().Replace(text, string.Empty);

    [GeneratedRegex(@"\u001b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiSequence();
}
