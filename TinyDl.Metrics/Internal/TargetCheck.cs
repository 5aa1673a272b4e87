using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// Remembers, on the device, the epoch position of the first sample whose target was invalid (a class
/// outside [0, C), or a row that is not one-hot / a probability distribution), so the error at
/// <c>Compute</c> can name it without a host transfer per batch. The metric counts valid samples in
/// its own sums (read anyway); this position is read only when some were invalid.
/// </summary>
internal sealed class TargetCheck(string metric) : IDisposable
{
    private Tensor? _first; // float64 scalar: the smallest epoch position of an invalid sample, +inf when none
    private long _offset;
    private bool _rows;
    private bool _indices;

    /// <summary>Records a batch of <paramref name="samples"/> samples: which targets are valid, bool [N] (or [N, d...]); null when all are.</summary>
    public void Add(Tensor? valid, bool rows, long samples)
    {
        if (rows)
        {
            _rows = true;
        }
        else
        {
            _indices = true;
        }

        if (valid is not null)
        {
            var perSample = valid.Dimensions > 1 ? valid.flatten(1).all(1) : valid;
            var first = arange(_offset, _offset + samples, ScalarType.Float64, perSample.device)
                .masked_fill_(perSample, double.PositiveInfinity)
                .min();
            var kept = (_first is null ? first : _first.minimum(first)).DetachFromDisposeScope();
            _first?.Dispose();
            _first = kept;
        }

        _offset += samples;
    }

    /// <summary>Creates the position's tensor (+inf: none yet) now rather than at the first invalid batch.</summary>
    public void Reserve(Device device) =>
        _first ??= tensor(double.PositiveInfinity, ScalarType.Float64, device).DetachFromDisposeScope();

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
        // Stryker disable once Conditional : an invalid sample always comes with a validity mask, which sets the position first
        return Error(metric, count, classes, _first is null ? double.NaN : HostTransfers.ToDouble(_first), _indices, _rows);
    }

    /// <summary>The error for <paramref name="count"/> invalid samples, the first at epoch position <paramref name="first"/>.</summary>
    public static InvalidOperationException Error(string metric, double count, long classes, double first, bool indices, bool rows)
    {
        var what = (indices, rows) switch
        {
            (true, false) => $"a class index outside [0, {classes})",
            (false, true) => $"a target row that is not one-hot or a probability distribution over the {classes} classes (multi-label targets are not supported: use BinaryCrossEntropy, or one binary metric per label)",
            _ => $"a class index outside [0, {classes}) or a target row that is not one-hot or a probability distribution",
        };
        return new InvalidOperationException($"Metric '{metric}' saw {count} sample(s) with {what} this epoch; the first is sample {first} of the epoch (counted from 0 in the order seen). Check numClasses and the targets.");
    }

    public void Dispose() => Reset();
}
