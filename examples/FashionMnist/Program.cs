using FashionMnist;
using Spectre.Console;
using TinyDl;
using TinyDl.Examples;

// Fashion-MNIST with TinyDl: an MLP (784-hidden-10, ReLU) or a small CNN (--model cnn) trained with
// Adam and cross-entropy, validated on the 10,000 test images every epoch, reported to the console,
// to metrics.csv and to TensorBoard under --out/<experiment name>/. See --help.
var (options, exitCode) = CommandLine.ParseOrExit(args, Options.Parse, Options.Usage, o => o.Help);
if (options is null)
{
    return exitCode;
}

if (options.Serve is { } run)
{
    return FashionMnist.Serving.FashionMnistService.Run(run, options.Host, options.Port);
}

FashionMnistData data;
try
{
    data = FashionMnistData.Load(options.Data);
}
catch (Exception error) when (error is DataNotFoundException or InvalidDataException)
{
    Console.Error.WriteLine($"error: {error.Message}");
    return 3;
}

// Ctrl+C (and SIGTERM, as schedulers send before preemption) stop the run after the current batch;
// the reporters still write and close their files.
using var stop = new StopSignals();

using (data)
{
    var console = AnsiConsole.Console;
    if (options.Evaluate is { } runDirectory)
    {
        return FashionMnistRun.Evaluate(runDirectory, options, data, console);
    }

    // A run ends well when it completes or when early stopping ends it; any other stop ends the sweep.
    var runs = 0;
    var allEnded = true;
    foreach (var experiment in options.Experiments())
    {
        console.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]");
        var (result, earlyStopped) = FashionMnistRun.Run(experiment, options, data, console, stop.Token);
        runs++;
        if (result.Status != RunStatus.Completed && !earlyStopped)
        {
            if (result.Status == RunStatus.Stopped)
            {
                Console.WriteLine($"Stopped after epoch {result.Epoch}; its checkpoint is in {Path.Combine(options.Out, experiment.Name, "checkpoints")}. Run the same command with --resume to continue.");
            }

            allEnded = false;
            break;
        }
    }

    FashionMnistRun.Summarize(runs, options, console);
    return allEnded ? 0 : 130;
}
