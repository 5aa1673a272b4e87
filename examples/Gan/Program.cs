using Gan;
using Spectre.Console;
using TinyDl;

// A small GAN with TinyDl: a generator and a discriminator (MLPs), each with its own Adam optimizer,
// trained by a custom step with manual optimization on 8 Gaussians on a ring, generated in memory.
// Every epoch reports both losses and how well the generated points cover the modes, to the
// console, to metrics.csv and to TensorBoard under --out/<experiment name>/. See --help.
Options options;
try
{
    options = Options.Parse(args);
}
catch (OptionsException error)
{
    Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(Options.Usage);
    return Options.UsageExitCode;
}

if (options.Help)
{
    Console.WriteLine(Options.Usage);
    return 0;
}

// Ctrl+C (and SIGTERM, as schedulers send before preemption) stop the run after the current batch;
// the reporters still write and close their files.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        cancellation.Cancel();
    });

var console = AnsiConsole.Console;
console.MarkupLine($"[bold]{Markup.Escape(options.ToExperiment().Name)}[/]");
GanRunResult run;
try
{
    run = GanRun.Run(options, console, cancellation.Token);
}
catch (Exception error) when (options.Resume && error is InvalidOperationException or InvalidDataException)
{
    // A checkpoint of other hyperparameters or data, or a damaged one: the message says which.
    Console.Error.WriteLine($"error: {error.Message}");
    return 1;
}

Console.WriteLine(GanRun.Describe(run));
if (run.Result.Status == RunStatus.Stopped)
{
    Console.WriteLine($"Stopped after epoch {run.Result.Epoch}; its checkpoint is in {Path.Combine(run.Directory, "checkpoints")}. Run the same command with --resume to continue.");
}

return run.Result.Status == RunStatus.Completed ? 0 : 130;
