using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// Remembers, on the device, the epoch position of the first sample whose target was invalid (a class
/// outside [0, C), or a row that is not one-hot / a probability distribution), so the error at
/// <c>Compute</c> can name it without a host transfer per batch. The metric counts invalid samples in
/// its own sums (read anyway); this position is read only when that count is not zero.
/// </summary>
internal sealed class TargetCheck(string metric) : IDisposable
{
    private Tensor? _first; // float64 scalar: the smallest epoch position of an invalid sample, +inf when none
    private long _offset;
    private bool _rows;
    private bool _indices;

    /// <summary>Records a batch's invalid samples, bool [N] (or [N, d...] for per-element targets).</summary>
    public void Add(Tensor invalid, bool rows)
    {
        if (rows)
        {
            _rows = true;
        }
        else
        {
            _indices = true;
        }

        var perSample = invalid.Dimensions > 1 ? invalid.flatten(1).any(1) : invalid;
        var n = perSample.size(0);
        var first = arange(_offset, _offset + n, ScalarType.Float64, perSample.device)
            .masked_fill_(perSample.logical_not(), double.PositiveInfinity)
            .min();
        if (_first is null)
        {
            _first = first.DetachFromDisposeScope();
        }
        else
        {
            _first.copy_(_first.minimum(first));
        }

        _offset += n;
    }

    public void Reset()
    {
        _first?.Dispose();
        _first = null;
        _offset = 0;
        _rows = _indices = false;
    }

    /// <summary>The error for <paramref name="count"/> invalid samples, naming the first (one host transfer).</summary>
    public InvalidOperationException Error(double count, long classes)
    {
        using var scope = NewDisposeScope();
        var first = _first is null ? double.NaN : HostTransfers.ToDouble(_first);
        var what = (_indices, _rows) switch
        {
            (true, false) => $"a class index outside [0, {classes})",
            (false, true) => $"a target row that is not one-hot or a probability distribution over the {classes} classes (multi-label targets are not supported: use BinaryCrossEntropy, or one binary metric per label)",
            _ => $"a class index outside [0, {classes}) or a target row that is not one-hot or a probability distribution",
        };
        return new InvalidOperationException($"Metric '{metric}' saw {count} sample(s) with {what} this epoch; the first is sample {first} of the epoch (counted from 0 in the order seen). Check numClasses and the targets.");
    }

    public void Dispose() => Reset();
}
