using System.Globalization;
using TinyDl;

namespace Regression;

/// <summary>The command line of the example: <c>--name value</c> or <c>--name=value</c>, numbers in invariant culture.</summary>
internal sealed class Options
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = 2;

    private static readonly string[] Valued = ["--epochs", "--batch-size", "--lr", "--seed", "--out"];

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
          --out DIR        directory of the runs (default runs)
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

    /// <summary>The directory of the runs. Defaults to <c>runs</c>.</summary>
    public string Out { get; init; } = "runs";

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

        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var (name, value) = args[i].Split('=', 2) is [var n, var v] ? (n, v) : (args[i], null);
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionsException($"Unexpected argument '{name}'; options start with '--' (see --help).") { Option = name };
            }

            if (!Valued.Contains(name))
            {
                throw new OptionsException($"Unknown option '{name}'. Known options: {string.Join(", ", Valued)}, --help.") { Option = name };
            }

            if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                throw new OptionsException($"Option {name} needs a value, as in '{name} VALUE' or '{name}=VALUE'.") { Option = name };
            }

            if (!given.TryAdd(name, value))
            {
                throw new OptionsException($"Option {name} is given more than once.") { Option = name };
            }
        }

        var defaults = new Options();
        return new Options
        {
            Epochs = Integer(given, "--epochs", defaults.Epochs, minimum: 1),
            BatchSize = Integer(given, "--batch-size", defaults.BatchSize, minimum: 1),
            LearningRate = !given.TryGetValue("--lr", out var lr) ? defaults.LearningRate
                : double.TryParse(lr, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && double.IsFinite(rate) && rate > 0 ? rate
                : throw Bad("--lr", lr, "a positive, finite number such as 0.01 or 1e-2"),
            Seed = Integer(given, "--seed", defaults.Seed, minimum: 0),
            Out = given.GetValueOrDefault("--out") ?? defaults.Out,
        };
    }

    private static int Integer(Dictionary<string, string> given, string name, int fallback, int minimum) =>
        !given.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum ? value
        : throw Bad(name, text, minimum == 0 ? "an integer from 0 to 2147483647" : "a positive integer");

    private static OptionsException Bad(string name, string value, string expected) =>
        new($"Option {name} must be {expected}; got '{value}'.") { Option = name };
}
