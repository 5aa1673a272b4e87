using Spectre.Console;
using TinyDl.Reporters;
using TinyDl.Runs;

namespace TinyDl.Cli;

/// <summary>The <c>tinydl</c> command line: <c>tinydl highscores &lt;dir&gt; [options]</c>.</summary>
internal static class TinyDlCommand
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = 2;

    public const string Usage =
        """
        Usage: tinydl highscores <dir> [options]

        Lists the runs under <dir> (directories with a run.json, also one level deeper),
        ranked by a metric, with their status, hyperparameters and metrics. Damaged runs
        (run.json missing or unreadable) are reported on standard error.

        Options (--name value or --name=value):
          --sort KEY          metric to rank by, <stage>_<metric> such as validation_loss
                              (default validation_accuracy, else the first metric recorded)
          --final             rank by each run's final value instead of its best
          --asc, --desc       lowest or highest first (default: best first, by the metric)
          --where KEY=VALUE   keep runs whose hyperparameter KEY equals VALUE (repeatable;
                              numbers compare as numbers: lr=1e-3 matches 0.001)
          --format FORMAT     table (default), csv or markdown
          --top N             show only the first N runs
          -h, --help          show this text
        """;

    public static int Run(IReadOnlyList<string> args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "-h" or "--help" or "help")
        {
            (args.Count == 0 ? error : output).WriteLine(Usage);
            return args.Count == 0 ? UsageExitCode : 0;
        }

        try
        {
            if (args[0] != "highscores")
            {
                throw new UsageException($"Unknown command '{args[0]}'; the command is highscores.");
            }

            var options = HighscoresOptions.Parse(args.Skip(1).ToList());
            if (options.Help)
            {
                output.WriteLine(Usage);
                return 0;
            }

            return Highscores(options, console, output, error);
        }
        catch (UsageException problem)
        {
            error.WriteLine($"error: {problem.Message}");
            error.WriteLine();
            error.WriteLine(Usage);
            return UsageExitCode;
        }
    }

    private static int Highscores(HighscoresOptions options, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        HighscoreRanking ranking;
        try
        {
            ranking = Runs.Highscores.Scan(options.Directory).Rank(options.Query);
        }
        catch (Exception problem) when (problem is DirectoryNotFoundException or ArgumentException)
        {
            throw new UsageException(problem.Message.Split(" (Parameter", 2)[0]);
        }

        switch (options.Format)
        {
            case "csv":
                output.Write(ranking.ToCsv());
                break;
            case "markdown":
                output.Write(ranking.ToMarkdown());
                break;
            default:
                console.Write(HighscoresTable.Create(ranking));
                break;
        }

        foreach (var run in ranking.Damaged)
        {
            error.WriteLine($"damaged: {run.Run}: {run.Problem}");
        }

        return 0;
    }
}
