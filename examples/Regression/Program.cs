using Regression;
using Spectre.Console;
using TinyDl;
using TinyDl.Examples;

// Regression with TinyDl's custom steps: a model that returns its prediction and its own loss (a
// Gaussian negative log-likelihood), named batches {"features", "target"} matched to its forward
// parameters, a custom metric (within_10pct) beside mse and r2, reported to the console, to
// metrics.csv and to TensorBoard under --out/<experiment name>/. See --help.
return ProgramErrors.Run(() =>
{
    var (options, exitCode) = CommandLine.ParseOrExit(args, Options.Parse, Options.Usage, o => o.Help);
    if (options is null)
    {
        return exitCode;
    }

    // A model this small trains several times faster on one CPU thread than with libtorch's thread pool,
    // and one thread makes repeated runs agree bit for bit.
    TorchSharp.torch.set_num_threads(1);

    // Ctrl+C (and SIGTERM) stop the run after the current batch; the reporters still write and close their files.
    using var stop = new StopSignals();

    var result = RegressionRun.Run(options, AnsiConsole.Console, stop.Token);
    return result.Status == RunStatus.Stopped && stop.Token.IsCancellationRequested ? ExitCodes.Stopped : ExitCodes.Success;
});
