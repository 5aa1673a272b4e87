using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// The state of <see cref="Accuracy"/> and <see cref="TopKAccuracy"/>: on the device, the epoch's hits,
/// valid targets and samples with a NaN score, read with one host transfer per epoch.
/// </summary>
internal sealed class HitRate(string metric) : IDisposable
{
    private readonly DeviceSum _sums = new(); // [hits, valid targets, NaN-scored samples]
    private readonly TargetCheck _check = new(metric);
    private long _samples;
    private long _classes;

    /// <summary>Adds a batch: hits, valid targets (null: all valid) and NaN-scored samples, each bool [N].</summary>
    public void Add(Tensor hits, Tensor? valid, Tensor nan, bool rows, long classes)
    {
        var samples = hits.size(0);
        _check.Add(valid, rows, samples);

        // One reduction for all three counts keeps the per-batch cost to a few small kernels.
        _sums.Add(stack([hits, valid ?? ones_like(hits), nan]).sum(1L));
        _samples += samples;
        _classes = classes;
    }

    /// <summary>Creates the device state now rather than at the first <see cref="Add"/>, so a metric's tensors are all made by its first update.</summary>
    public void Reserve(Device device)
    {
        using var scope = NewDisposeScope();
        _sums.Add(zeros(3, ScalarType.Float64, device));
        _check.Reserve(device);
    }

    /// <summary>The fraction of hits.</summary>
    /// <exception cref="InvalidOperationException">No samples, or an invalid target was seen.</exception>
    /// <exception cref="UndefinedMetricException">A score was NaN.</exception>
    public double Compute()
    {
        if (_samples == 0)
        {
            throw new InvalidOperationException($"Metric '{metric}' must see at least one sample before it can be computed; the epoch had no samples.");
        }

        double[] sums;
        using (NewDisposeScope())
        {
            sums = _sums.ToArray();
        }

        var invalid = _samples - sums[1];
        if (invalid > 0)
        {
            throw _check.Error(invalid, _classes);
        }

        return sums[2] > 0
            ? throw new UndefinedMetricException(metric, NanReason(sums[2]))
            : sums[0] / _samples;
    }

    public static string NanReason(double samples) => $"{samples} sample(s) have a NaN score this epoch";

    public void Reset()
    {
        _sums.Reset();
        _check.Reset();
        _samples = 0;
    }

    public void Dispose()
    {
        _sums.Dispose();
        _check.Dispose();
    }
}
