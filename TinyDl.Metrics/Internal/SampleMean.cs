using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>A device-side sum and a host-side count: the state of every metric that is a mean over samples.</summary>
internal sealed class SampleMean : IDisposable
{
    private readonly DeviceSum _sum = new();

    public long Count { get; private set; }

    public bool IsEmpty => Count == 0;

    /// <summary>Adds a sum (a tensor, reduced to a scalar on the device), times <paramref name="weight"/>, standing for <paramref name="count"/> samples.</summary>
    public void Add(Tensor sum, long count, double weight = 1)
    {
        if (sum.Dimensions == 0)
        {
            _sum.Add(sum, weight);
        }
        else
        {
            using var total = sum.sum();
            _sum.Add(total, weight);
        }

        Count += count;
    }

    public double Mean()
    {
        // The scope frees the float64 copy HostTransfers.ToDouble makes and does not dispose.
        using var scope = NewDisposeScope();
        return _sum.ToDouble() / Count;
    }

    public void Reset()
    {
        _sum.Reset();
        Count = 0;
    }

    public void Dispose() => _sum.Dispose();
}
