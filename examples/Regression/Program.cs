using Regression;
using Spectre.Console;
using TinyDl;

// Regression with TinyDl's custom steps: a model that returns its prediction and its own loss (a
// Gaussian negative log-likelihood), named batches {"features", "target"} matched to its forward
// parameters, a custom metric (within_10pct) beside mse and r2, reported to the console, to
// metrics.csv and to TensorBoard under --out/<experiment name>/. See --help.
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

// A model this small trains several times faster on one CPU thread than with libtorch's thread pool,
// and one thread makes repeated runs agree bit for bit.
TorchSharp.torch.set_num_threads(1);

// Ctrl+C stops the run after the current batch; the reporters still write and close their files.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var result = RegressionRun.Run(options, AnsiConsole.Console, cancellation.Token);
return result.Status == RunStatus.Completed ? 0 : 130;
