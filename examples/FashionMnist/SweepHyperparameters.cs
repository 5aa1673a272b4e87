using TinyDl;
using TinyDl.Examples;

namespace FashionMnist;

/// <summary>
/// What a sweep file must give the example (<c>--sweep FILE</c>): every hyperparameter an epoch depends on,
/// so a run's directory name says all that made it, and the options that pick a worker's share (<c>--shard</c>).
/// </summary>
public static class SweepHyperparameters
{
    /// <summary>The hyperparameters a sweep file must set.</summary>
    public static IReadOnlyList<string> Required { get; } = ["model", "lr", "hidden", "batch_size", "epochs", "seed"];

    /// <summary>The hyperparameters a sweep file may set.</summary>
    public static IReadOnlyList<string> Optional { get; } = ["scheduler", "validation_size", "augment"];

    /// <summary>Reads a sweep file and checks that each experiment has what the example needs, of the right type.</summary>
    /// <param name="file">The file.</param>
    /// <returns>The grid.</returns>
    /// <exception cref="OptionsException">The file cannot be read, is not a valid sweep file, lacks a hyperparameter or has one the example does not know or of the wrong type.</exception>
    public static Hyperparameter Load(string file)
    {
        Hyperparameter grid;
        try
        {
            grid = Hyperparameter.Load(file);
        }
        catch (SweepFileException error)
        {
            throw new OptionsException($"Option --sweep: {error.Message}") { Option = "--sweep", Value = file };
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"Option --sweep: cannot read the sweep file '{file}': {error.Message}") { Option = "--sweep", Value = file };
        }

        var keys = grid.Select(kv => kv.Key).ToList();
        if (Required.Except(keys).ToList() is { Count: > 0 } missing)
        {
            throw new OptionsException($"Option --sweep: {file}: the Fashion-MNIST example needs the hyperparameters {string.Join(", ", missing)}; add them to \"hyperparameters\" (a single value fixes one).") { Option = "--sweep", Value = file };
        }

        if (keys.Except(Required).Except(Optional).ToList() is { Count: > 0 } unknown)
        {
            throw new OptionsException($"Option --sweep: {file}: the Fashion-MNIST example has no hyperparameter {string.Join(", ", unknown)}; it knows {string.Join(", ", Required.Concat(Optional))}.") { Option = "--sweep", Value = file };
        }

        foreach (var experiment in grid.GetExperiments())
        {
            Check(file, experiment);
        }

        return grid;
    }

    /// <summary>The shard of <c>--shard</c>: <c>I/N</c>, <c>slurm</c> or <c>k8s/N</c>; null when not given.</summary>
    /// <param name="given">The parsed options.</param>
    /// <param name="variables">Reads an environment variable.</param>
    /// <returns>The shard, or null.</returns>
    /// <exception cref="OptionsException">The value is not a shard, or the scheduler's variables are missing or out of range.</exception>
    public static Shard? ParseShard(IReadOnlyDictionary<string, string?> given, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(given);
        if (given.GetValueOrDefault("--shard") is not { } text)
        {
            return null;
        }

        try
        {
            if (text == "slurm")
            {
                return Shard.FromSlurm(variables);
            }

            if (text.StartsWith("k8s/", StringComparison.Ordinal))
            {
                return int.TryParse(text[4..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var completions) && completions > 0
                    ? Shard.FromIndexedJob(variables, completions)
                    : throw CommandLine.Bad("--shard", text, "k8s/N with N the Job's completions, a positive integer");
            }

            return Shard.Parse(text);
        }
        catch (Exception error) when (error is FormatException or InvalidOperationException)
        {
            throw new OptionsException($"Option --shard: {error.Message}") { Option = "--shard", Value = text };
        }
    }

    private static void Check(string file, Experiment experiment)
    {
        try
        {
            var model = experiment.Get<string>("model");
            if (!FashionMnistModel.Kinds.Contains(model))
            {
                throw new InvalidCastException($"Hyperparameter 'model' is '{model}'; it is one of {string.Join(", ", FashionMnistModel.Kinds)}.");
            }

            Positive("lr", experiment.Get<double>("lr"));
            Positive("hidden", experiment.Get<int>("hidden"));
            Positive("batch_size", experiment.Get<int>("batch_size"));
            Positive("epochs", experiment.Get<int>("epochs"));
            if (experiment.Get<long>("seed") < 0)
            {
                throw new InvalidCastException("Hyperparameter 'seed' must not be negative.");
            }

            if (experiment.Contains("scheduler") && !Options.Schedulers.Contains(experiment.Get<string>("scheduler")))
            {
                throw new InvalidCastException($"Hyperparameter 'scheduler' is '{experiment.Get<string>("scheduler")}'; it is one of {string.Join(", ", Options.Schedulers)}.");
            }

            if (experiment.Contains("validation_size") && experiment.Get<int>("validation_size") < 0)
            {
                throw new InvalidCastException("Hyperparameter 'validation_size' must not be negative.");
            }

            if (experiment.Contains("augment"))
            {
                experiment.Get<bool>("augment");
            }
        }
        catch (InvalidCastException error)
        {
            throw new OptionsException($"Option --sweep: {file}: experiment {experiment.Name}: {error.Message}") { Option = "--sweep", Value = file };
        }
    }

    private static void Positive(string key, double value)
    {
        if (!(value > 0))
        {
            throw new InvalidCastException($"Hyperparameter '{key}' must be positive; it is {Experiment.Format(value)}.");
        }
    }
}
