using Gan;
using Spectre.Console;
using TinyDl;
using TinyDl.Examples;

// A small GAN with TinyDl: a generator and a discriminator (MLPs), each with its own Adam optimizer,
// trained by a custom step with manual optimization on 8 Gaussians on a ring, generated in memory.
// Every epoch reports both losses and how well the generated points cover the modes, to the
// console, to metrics.csv and to TensorBoard under --out/<experiment name>/. See --help.
return ProgramErrors.Run(() =>
{
    var (options, exitCode) = CommandLine.ParseOrExit(args, Options.Parse, Options.Usage, o => o.Help);
    if (options is null)
    {
        return exitCode;
    }

    // Ctrl+C (and SIGTERM, as schedulers send before preemption) stop the run after the current batch;
    // the reporters still write and close their files.
    using var stop = new StopSignals();

    var console = AnsiConsole.Console;
    console.MarkupLine($"[bold]{Markup.Escape(options.ToExperiment().Name)}[/]");
    var run = GanRun.Run(options, console, stop.Token);
    Console.WriteLine(GanRun.Describe(run));
    if (run.Result.Status == RunStatus.Stopped)
    {
        Console.WriteLine(run.Result.Epoch > 0
            ? $"Stopped after epoch {run.Result.Epoch}; its checkpoint is in {Path.Combine(run.Directory, "checkpoints")}. Run the same command with --resume to continue."
            : "Stopped before the first epoch ended; there is no checkpoint to continue from.");
        return ExitCodes.Stopped;
    }

    return ExitCodes.Success;
});
