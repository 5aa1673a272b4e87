using Spectre.Console;
using TinyDl.Cli;

return TinyDlCommand.Run(args, AnsiConsole.Console, Console.Out, Console.Error);
