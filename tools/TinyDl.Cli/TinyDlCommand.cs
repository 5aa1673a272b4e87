using System.CommandLine;
using System.CommandLine.Help;
using Spectre.Console;
using TinyDl.Examples;

namespace TinyDl.Cli;

/// <summary>
/// The <c>tinydl</c> command line, parsed by System.CommandLine: <c>tinydl highscores DIR [options]</c>
/// and the commands added beside it. A wrong command line prints <c>error: ...</c> and the command's
/// usage on standard error and exits with 2; an ordinary error exits with the code of
/// <see cref="ExitCodes"/> after one line (<see cref="ProgramErrors"/>).
/// </summary>
internal static class TinyDlCommand
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = ExitCodes.Usage;

    /// <summary>Builds the root command, its subcommands writing to the sinks given.</summary>
    public static Command Create(IAnsiConsole console, TextWriter output, TextWriter error)
    {
        // A command named tinydl rather than a RootCommand (named after the executable, TinyDl.Cli or a test host).
        var root = new Command("tinydl", "tinydl: looks at the runs TinyDl wrote (run directories with a run.json).") { new HelpOption { Recursive = true }, new VersionOption() };
        root.Subcommands.Add(HighscoresCommand.Create(console, output, error));
        root.Subcommands.Add(SweepCommand.Create(output, error));
        root.Subcommands.Add(BoardCommand.Create(output));
        return root;
    }

    /// <summary>Parses and runs a command line.</summary>
    /// <returns>The exit code.</returns>
    public static int Run(IReadOnlyList<string> args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = Create(console, output, error);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        if (args.Count == 0)
        {
            error.WriteLine("error: Give a command, such as: tinydl highscores runs");
            error.WriteLine();
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return UsageExitCode;
        }

        var parsed = root.Parse([.. args]);
        if (parsed.Errors.Count > 0)
        {
            var message = string.Join(" ", parsed.Errors.Select(e => e.Message));
            error.WriteLine($"error: {System.Text.RegularExpressions.Regex.Replace(message, @"\s+", " ")}");
            error.WriteLine();
            var command = parsed.CommandResult.Command;
            string[] help = command == root ? ["--help"] : [.. Path(command, root), "--help"];
            root.Parse(help).Invoke(new InvocationConfiguration { Output = error, Error = error });
            return UsageExitCode;
        }

        return ProgramErrors.Run(() => parsed.Invoke(configuration), error);
    }

    // The names from the root's subcommand down to this command, such as sweep slurm.
    private static string[] Path(Command command, Command root)
    {
        foreach (var child in root.Subcommands)
        {
            if (child == command)
            {
                return [child.Name];
            }

            if (Path(command, child) is { Length: > 0 } below)
            {
                return [child.Name, .. below];
            }
        }

        return [];
    }
}
