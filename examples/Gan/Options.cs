using System.Globalization;
using TinyDl;

namespace Gan;

/// <summary>The command line of the example: <c>--name value</c> or <c>--name=value</c>, numbers in invariant culture.</summary>
public sealed class Options
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = 2;

    private static readonly string[] Flags = ["--resume", "--help"];
    private static readonly string[] Valued = ["--epochs", "--batch-size", "--lr", "--seed", "--out"];

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
          --resume         continue from the run's last checkpoint (same lr, batch size and seed)
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

    /// <summary>Whether to continue from the run's last checkpoint.</summary>
    public bool Resume { get; init; }

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

        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionsException($"Unexpected argument '{arg}'; options start with '--' (see --help).") { Option = arg };
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var value = equals < 0 ? null : arg[(equals + 1)..];
            if (Flags.Contains(name))
            {
                if (value is not null)
                {
                    throw new OptionsException($"Option {name} takes no value; got '{value}'.") { Option = name, Value = value };
                }
            }
            else if (Valued.Contains(name))
            {
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }

                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new OptionsException($"Option {name} needs a value, as in '{name} VALUE' or '{name}=VALUE'.") { Option = name };
                }
            }
            else
            {
                throw new OptionsException($"Unknown option '{name}'. Known options: {string.Join(", ", Valued.Concat(Flags))}.") { Option = name };
            }

            if (!given.TryAdd(name, value))
            {
                throw new OptionsException($"Option {name} is given more than once.") { Option = name, Value = value };
            }
        }

        var defaults = new Options();
        return new Options
        {
            Epochs = PositiveInt(given, "--epochs", defaults.Epochs),
            BatchSize = PositiveInt(given, "--batch-size", defaults.BatchSize),
            LearningRate = PositiveNumber(given, "--lr", defaults.LearningRate),
            Seed = given.TryGetValue("--seed", out var seed)
                ? long.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw Bad("--seed", seed!, "a non-negative integer")
                : defaults.Seed,
            Out = given.GetValueOrDefault("--out") ?? defaults.Out,
            Resume = given.ContainsKey("--resume"),
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

    private static int PositiveInt(Dictionary<string, string?> given, string name, int fallback) =>
        !given.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw Bad(name, text!, "a positive integer");

    private static double PositiveNumber(Dictionary<string, string?> given, string name, double fallback) =>
        !given.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 ? value
        : throw Bad(name, text!, "a positive, finite number such as 0.001 or 1e-3");

    private static OptionsException Bad(string name, string value, string expected) =>
        new($"Option {name} must be {expected}; got '{value}'.") { Option = name, Value = value };
}
