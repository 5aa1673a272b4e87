using TinyDl;
using TinyDl.Examples;

namespace Gan;

/// <summary>The command line of the example: <c>--name value</c> or <c>--name=value</c>, numbers in invariant culture.</summary>
public sealed class Options
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = CommandLine.UsageExitCode;

    private static readonly string[] Flags = ["--help", .. ResumeChoice.Flags];
    private static readonly string[] Valued = ["--epochs", "--batch-size", "--lr", "--seed", "--out", .. ResumeChoice.Valued];

    /// <summary>The help text.</summary>
    public static string Usage { get; } =
        """
        Usage: Gan [options]

        Trains a small GAN on 8 Gaussians on a ring (synthetic, generated in memory) and writes the run
        under --out/<experiment name>/: metrics.csv, TensorBoard events, run.json, checkpoints/, model.bin.

        Options (--name value or --name=value):
          --epochs N       train up to epoch N (default 30); with --resume, continue a shorter run to N
          --batch-size N   training batch size (default 128)
          --lr X           Adam learning rate of both networks (default 0.002)
          --seed N         random seed of data, weights and noise, >= 0 (default 42)
          --out DIR        directory of the runs (default runs/gan)
          --resume         continue from the run's last checkpoint when there is one (same lr, batch
                           size and seed), else start it
          --resume-strict  continue from the run's last checkpoint; fail when there is none
          --resume-from F  continue from the checkpoint F, such as checkpoints/epoch-0010.ckpt
          --restart        delete an earlier run of the same experiment and start again
                           (without any of these, an earlier run is kept aside in previous-N/)
          -h, --help       show this text
        """;

    /// <summary>The last epoch to train. Defaults to 30.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>The training batch size. Defaults to 128.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The learning rate of both optimizers. Defaults to 0.002.</summary>
    public double LearningRate { get; init; } = 0.002;

    /// <summary>The random seed. Defaults to 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The directory of the runs. Defaults to <c>runs/gan</c>.</summary>
    public string Out { get; init; } = Path.Combine("runs", "gan");

    /// <summary>What to do with an earlier run: keep it aside (default), continue it, or delete it.</summary>
    public ResumeChoice Resume { get; init; } = new();

    /// <summary>Whether help was asked for; the other options then keep their defaults.</summary>
    public bool Help { get; init; }

    /// <summary>Parses a command line.</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <returns>The options.</returns>
    /// <exception cref="OptionsException">An option is unknown, repeated, lacks its value or has a bad one.</exception>
    public static Options Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
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
            LearningRate = CommandLine.PositiveNumber(given, "--lr", defaults.LearningRate, "0.001 or 1e-3"),
            Seed = CommandLine.Seed(given, "--seed", defaults.Seed),
            Out = given.GetValueOrDefault("--out") ?? defaults.Out,
            Resume = ResumeChoice.Parse(given),
        };
    }

    /// <summary>
    /// The experiment of these options, named like <c>lr=0.002_batch_size=128_seed=42</c>. The epoch
    /// count is not part of it: it says how far to train, so <c>--epochs 50 --resume</c> continues the
    /// run that <c>--epochs 30</c> started.
    /// </summary>
    /// <returns>The experiment, keys lr (double), batch_size (int) and seed (long).</returns>
    public Experiment ToExperiment() => new(
    [
        new("lr", LearningRate),
        new("batch_size", BatchSize),
        new("seed", Seed),
    ]);
}
