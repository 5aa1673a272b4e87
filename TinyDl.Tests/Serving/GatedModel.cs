using System.Collections.Concurrent;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

/// <summary>A linear classifier 4 -> 3 whose forward pass waits at a gate the test opens and closes, and that records the size of every batch it ran.</summary>
internal sealed class GatedModel : nn.Module<Tensor, Tensor>
{
    private readonly Linear _linear;

    public GatedModel(long seed = 3)
        : base(nameof(GatedModel))
    {
        manual_seed(seed);
        _linear = nn.Linear(4, 3);
        RegisterComponents();
    }

    /// <summary>Open lets forward passes through; the test closes it to hold the worker in a batch.</summary>
    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    /// <summary>Released each time a forward pass starts (before it waits at the gate).</summary>
    public SemaphoreSlim Entered { get; } = new(0);

    /// <summary>The batch sizes of the forward passes that went through the gate, in order.</summary>
    public ConcurrentQueue<long> Batches { get; } = new();

    public override Tensor forward(Tensor input)
    {
        Entered.Release();
        if (!Gate.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The test never opened the gate.");
        }

        Batches.Enqueue(input.shape[0]);
        return _linear.forward(input);
    }

    /// <summary>The same computation without the gate, for the reference outputs.</summary>
    public Tensor Direct(Tensor input) => _linear.forward(input);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Gate.Dispose();
            Entered.Dispose();
        }

        base.Dispose(disposing);
    }
}
