using System.Runtime.InteropServices;

namespace TinyDl.Examples;

/// <summary>
/// Cancels <see cref="Token"/> on Ctrl+C and on SIGTERM (what schedulers send before preemption), so a run
/// stops after its current batch with its reporters flushed, instead of the process dying.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _sigterm;

    /// <summary>Starts listening.</summary>
    public StopSignals()
    {
        Console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            _cancellation.Cancel();
        });
    }

    /// <summary>Cancelled by the first Ctrl+C or SIGTERM.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
        _cancellation.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true;
        _cancellation.Cancel();
    }
}
