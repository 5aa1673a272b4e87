using FashionMnist;
using Spectre.Console;
using TinyDl;
using TinyDl.Examples;

// Fashion-MNIST with TinyDl: an MLP (784-hidden-10, ReLU) or a small CNN (--model cnn) trained with
// Adam and cross-entropy on the training images less a held-out validation split, which picks the best
// weights; the test images are evaluated once at the end. Reported to the console, to metrics.csv and
// to TensorBoard under --out/<experiment name>/. See --help. Every ordinary error ends in one line and
// an exit code (README, "Run directories").
return ProgramErrors.Run(() =>
{
    var (options, exitCode) = CommandLine.ParseOrExit(args, Options.Parse, Options.Usage, o => o.Help);
    if (options is null)
    {
        return exitCode;
    }

    if (options.Serve is { } run)
    {
        return FashionMnist.Serving.FashionMnistService.Run(run, options.Host, options.Port);
    }

    using var data = FashionMnistRun.LoadData(options.Data);

    // Ctrl+C, SIGTERM and SIGUSR1 (what schedulers send before preemption) stop the run after the current batch;
    // the reporters still write and close their files, and the last checkpoint is kept.
    using var stop = new StopSignals();
    var console = AnsiConsole.Console;
    if (options.Evaluate is { } runDirectory)
    {
        return FashionMnistRun.Evaluate(runDirectory, options, data);
    }

    if (options.SweepFile is not null)
    {
        return SweepWorker.Run(options, data, console, stop);
    }

    var runs = 0;
    var failed = 0;
    foreach (var experiment in options.Experiments())
    {
        console.MarkupLine($"[bold]{Markup.Escape(experiment.Name)}[/]");
        runs++;
        FashionMnistRun.Outcome outcome;
        try
        {
            outcome = FashionMnistRun.Run(experiment, options, data, console, stop.Token);
        }
        catch (NonFiniteValueException error) when (options.Sweep)
        {
            // One diverging experiment of a sweep does not stop the others; the exit code says it failed.
            Console.Error.WriteLine($"error: {error.Message}");
            failed++;
            continue;
        }

        if (outcome.Result.Status == RunStatus.Stopped && stop.Token.IsCancellationRequested)
        {
            Console.WriteLine(outcome.HasCheckpoint
                ? $"Stopped after epoch {outcome.Result.Epoch}; its checkpoint is in {outcome.Checkpoints}. Run the same command with --resume to continue."
                : "Stopped before the first epoch ended; there is no checkpoint to continue from.");
            return ExitCodes.Stopped;
        }
    }

    FashionMnistRun.Summarize(runs, options, console);
    return failed > 0 ? ExitCodes.RunFailed : ExitCodes.Success;
});
