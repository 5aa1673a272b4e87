using TinyDl;
using TinyDl.Examples;

namespace Regression;

/// <summary>The command line of the example: <c>--name value</c> or <c>--name=value</c>, numbers in invariant culture.</summary>
internal sealed class Options
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = CommandLine.UsageExitCode;

    private static readonly string[] Valued = ["--epochs", "--batch-size", "--lr", "--seed", "--out", .. ResumeChoice.Valued];
    private static readonly string[] Flags = ["--help", .. ResumeChoice.Flags];

    /// <summary>The help text.</summary>
    public static string Usage { get; } =
        """
        Usage: Regression [options]

        Fits a model that predicts a mean and a variance (and computes its own Gaussian negative
        log-likelihood) to synthetic 1-D data with noise that grows with x. Writes metrics.csv,
        TensorBoard events and checkpoints/ to --out/<experiment name>/.

        Options (--name value or --name=value):
          --epochs N       epochs to train (default 20)
          --batch-size N   training batch size (default 32)
          --lr X           Adam's initial learning rate, annealed by a cosine schedule (default 0.01)
          --seed N         random seed of the data and the model, 0 to 2147483647 (default 42)
          --out DIR        directory of the runs (default runs/regression)
          --resume         continue from the run's last checkpoint when there is one, else start it
          --resume-strict  continue from the run's last checkpoint; fail when there is none
          --resume-from F  continue from the checkpoint F, such as checkpoints/best.ckpt
          --restart        delete an earlier run of the same experiment and start again
                           (without any of these, an earlier run is kept aside in previous-N/)
          -h, --help       show this text
        """;

    /// <summary>Epochs to train. Defaults to 20.</summary>
    public int Epochs { get; init; } = 20;

    /// <summary>The training batch size. Defaults to 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>The learning rate. Defaults to 0.01.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>The random seed. Defaults to 42.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The directory of the runs. Defaults to <c>runs/regression</c>.</summary>
    public string Out { get; init; } = Path.Combine("runs", "regression");

    /// <summary>What to do with an earlier run: keep it aside (default), continue it, or delete it.</summary>
    public ResumeChoice Resume { get; init; } = new();

    /// <summary>Whether help was asked for; the other options then keep their defaults.</summary>
    public bool Help { get; init; }

    /// <summary>The experiment of these options, named like <c>lr=0.01_batch_size=32_epochs=20_seed=42</c>.</summary>
    public Experiment ToExperiment() => new(
    [
        new("lr", LearningRate),
        new("batch_size", BatchSize),
        new("epochs", Epochs),
        new("seed", Seed),
    ]);

    /// <summary>Parses a command line.</summary>
    /// <exception cref="OptionsException">An option is unknown, repeated, lacks its value or has a bad one.</exception>
    public static Options Parse(IReadOnlyList<string> args)
    {
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new Options { Help = true };
        }

        var given = CommandLine.Parse(args, Valued, Flags);

        var defaults = new Options();
        return new Options
        {
            Epochs = CommandLine.WholeNumber(given, "--epochs", defaults.Epochs),
            BatchSize = CommandLine.WholeNumber(given, "--batch-size", defaults.BatchSize),
            LearningRate = CommandLine.PositiveNumber(given, "--lr", defaults.LearningRate, "0.01 or 1e-2"),
            Seed = CommandLine.WholeNumber(given, "--seed", defaults.Seed, minimum: 0),
            Out = given.GetValueOrDefault("--out") ?? defaults.Out,
            Resume = ResumeChoice.Parse(given),
        };
    }
}
