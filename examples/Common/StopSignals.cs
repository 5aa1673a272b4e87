using System.Runtime.InteropServices;

namespace TinyDl.Examples;

/// <summary>
/// Cancels <see cref="Token"/> on Ctrl+C, on SIGTERM (what Slurm and Kubernetes send before they kill a
/// preempted job) and on SIGUSR1 (Slurm's warning signal of <c>sbatch --signal=B:USR1@SECONDS</c>), so a
/// run stops after its current batch with its reporters flushed and its checkpoint kept, instead of the
/// process dying. The first signal is named on standard error.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _sigterm;
    private readonly PosixSignalRegistration? _sigusr1;
    private readonly TextWriter _log;

    /// <summary>Starts listening.</summary>
    /// <param name="log">Where the signal received is named; defaults to standard error.</param>
    public StopSignals(TextWriter? log = null)
    {
        _log = log ?? Console.Error;
        Console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, "SIGTERM"));

        // PosixSignal has no SIGUSR1; a raw signal number is accepted on Unix (10 on Linux, 30 on macOS).
        int? usr1 = OperatingSystem.IsLinux() ? 10 : OperatingSystem.IsMacOS() ? 30 : null;
        _sigusr1 = usr1 is { } number ? PosixSignalRegistration.Create((PosixSignal)number, context => Stop(context, "SIGUSR1")) : null;
    }

    /// <summary>Cancelled by the first Ctrl+C, SIGTERM or SIGUSR1.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The signal that cancelled <see cref="Token"/>, such as <c>SIGUSR1</c>; null before one arrived.</summary>
    public string? Received { get; private set; }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
        _sigusr1?.Dispose();
        _cancellation.Dispose();
    }

    private void Stop(PosixSignalContext context, string name)
    {
        context.Cancel = true;
        Cancel(name);
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        Cancel("Ctrl+C");
    }

    private void Cancel(string name)
    {
        if (Received is null)
        {
            Received = name;
            _log.WriteLine($"{name} received: stopping after the current batch.");
        }

        _cancellation.Cancel();
    }
}
