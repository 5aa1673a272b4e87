using System.CommandLine;
using System.CommandLine.Parsing;
using Spectre.Console;
using TinyDl.Examples;
using TinyDl.Reporters;
using TinyDl.Runs;

namespace TinyDl.Cli;

/// <summary><c>tinydl highscores DIR</c>: the runs under a directory, ranked by a metric, as a table, CSV or Markdown.</summary>
internal static class HighscoresCommand
{
    public static Command Create(IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var directory = new Argument<string>("dir")
        {
            Description = "The directory of the runs (directories with a run.json, also one level deeper).",
        };
        var sort = new Option<string?>("--sort") { Description = "The metric to rank by, <stage>_<metric> such as validation_loss [default: validation_accuracy, else the first metric recorded]." };
        var final = new Option<bool>("--final") { Description = "Rank by each run's final value instead of its best." };
        var ascending = new Option<bool>("--asc") { Description = "Lowest first." };
        var descending = new Option<bool>("--desc") { Description = "Highest first [default: best first, by the metric's direction]." };
        var where = new Option<HyperparameterFilter[]>("--where")
        {
            Description = "Keep runs whose hyperparameter KEY equals VALUE (repeatable; numbers compare as numbers: lr=1e-3 matches 0.001).",
            HelpName = "KEY=VALUE",
            CustomParser = ParseFilters,
        };
        var format = new Option<string>("--format") { Description = "The output format.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "markdown");
        var top = new Option<int?>("--top") { Description = "Show only the first N runs.", HelpName = "N", CustomParser = ParseTop };

        var command = new Command("highscores", "Lists the runs under a directory, ranked by a metric, with their status, hyperparameters and metrics. Damaged runs are reported on standard error.")
        {
            directory, sort, final, ascending, descending, where, format, top,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(ascending) && result.GetValue(descending))
            {
                result.AddError("Give --asc or --desc, not both.");
            }
        });
        command.SetAction(result =>
        {
            var query = new HighscoreQuery
            {
                Metric = result.GetValue(sort),
                Final = result.GetValue(final),
                Descending = result.GetValue(ascending) ? false : result.GetValue(descending) ? true : null,
                Where = result.GetValue(where) ?? [],
                Top = result.GetValue(top),
            };
            return Run(result.GetValue(directory)!, query, result.GetValue(format)!, console, output, error);
        });
        return command;
    }

    private static int Run(string directory, HighscoreQuery query, string format, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        HighscoreRanking ranking;
        try
        {
            ranking = Highscores.Scan(directory).Rank(query);
        }
        catch (Exception problem) when (problem is DirectoryNotFoundException or ArgumentException)
        {
            throw new OptionsException(problem.Message.Split(" (Parameter", 2)[0]);
        }

        switch (format)
        {
            case "csv":
                output.Write(ranking.ToCsv());
                break;
            case "markdown":
                output.Write(ranking.ToMarkdown());
                break;
            default:
                HighscoresTable.WriteRuns(console, ranking);
                break;
        }

        foreach (var run in ranking.Damaged)
        {
            error.WriteLine($"damaged: {run.Run}: {run.Problem}");
        }

        return ExitCodes.Success;
    }

    private static HyperparameterFilter[] ParseFilters(ArgumentResult result)
    {
        var filters = new List<HyperparameterFilter>();
        foreach (var token in result.Tokens)
        {
            try
            {
                filters.Add(HyperparameterFilter.Parse(token.Value));
            }
            catch (FormatException problem)
            {
                result.AddError($"--where: {problem.Message}");
            }
        }

        return [.. filters];
    }

    private static int? ParseTop(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            return n;
        }

        result.AddError($"--top needs a positive whole number, not '{text}'.");
        return null;
    }
}
