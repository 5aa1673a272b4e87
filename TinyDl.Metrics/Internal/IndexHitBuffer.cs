using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// <see cref="Accuracy"/>'s path for the usual batch, scores [N, C] (C at least 2, floating point) and
/// class indices [N]: per batch one arg max and three copies into epoch buffers on the device
/// (predicted class, target, top score). Hits, valid targets and NaN-scored samples are reduced once,
/// when the buffer is flushed into the <see cref="HitRate"/>: at <c>Compute</c>, or before a batch of
/// another kind, so the counts and the first invalid position come out as if every batch had been
/// added on its own. The buffers grow to an epoch's samples once and are reused every epoch.
/// </summary>
internal sealed class IndexHitBuffer(HitRate hits) : IDisposable
{
    private Tensor? _predicted; // int64 [capacity]
    private Tensor? _targets; // int64 [capacity]
    private Tensor? _top; // float32 [capacity]: NaN stays NaN whatever the scores' floating type
    private long _capacity;
    private long _count;
    private long _classes;
    private DeviceType _deviceType;
    private int _deviceIndex;

    /// <summary>Whether a batch of <paramref name="size"/> samples takes this path; then <paramref name="classes"/> is C.</summary>
    public static bool Fits(Tensor output, Tensor target, long size, out long classes)
    {
        classes = 0;
        var scores = output.shape;
        if (scores.Length != 2 || scores[0] != size || scores[1] < 2 || !output.is_floating_point())
        {
            return false;
        }

        var labels = target.shape;
        if (labels.Length != 1 || labels[0] != size || !Shapes.IsIntegral(target))
        {
            return false;
        }

        classes = scores[1];
        return true;
    }

    /// <summary>Adds a batch of <paramref name="size"/> samples that <see cref="Fits"/>.</summary>
    public void Add(Tensor output, Tensor target, long size, long classes)
    {
        var deviceType = output.device_type;
        var deviceIndex = deviceType == DeviceType.CPU ? -1 : output.device_index;
        if (_count > 0 && (classes != _classes || deviceType != _deviceType || deviceIndex != _deviceIndex))
        {
            Flush();
        }

        _classes = classes;
        Reserve(_count + size, deviceType, deviceIndex);
        // In a run, metrics update with gradients disabled; a direct caller may not have disabled them.
        using var scores0 = is_grad_enabled() ? output.detach() : null;
        var (top, predicted) = (scores0 ?? output).max(1);
        using (top)
        using (predicted)
        using (var slot = _predicted!.narrow(0, _count, size))
        using (var labels = _targets!.narrow(0, _count, size))
        using (var scores = _top!.narrow(0, _count, size))
        {
            slot.copy_(predicted);
            labels.copy_(target);
            scores.copy_(top);
        }

        _count += size;
    }

    /// <summary>Adds what is buffered to the hit rate, as one batch, and empties the buffer.</summary>
    public void Flush()
    {
        if (_count == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var predicted = _predicted!.narrow(0, 0, _count);
        var labels = _targets!.narrow(0, 0, _count);
        var top = _top!.narrow(0, 0, _count);
        hits.Add(predicted.eq(labels), ClassLabels.InRange(labels, _classes), top.isnan(), rows: false, _classes);
        _count = 0;
    }

    /// <summary>Forgets the buffered samples, keeping the buffers.</summary>
    public void Reset() => _count = 0;

    public void Dispose()
    {
        Release();
        _count = 0;
    }

    private void Reserve(long needed, DeviceType deviceType, int deviceIndex)
    {
        if (_predicted is not null && needed <= _capacity && deviceType == _deviceType && deviceIndex == _deviceIndex)
        {
            return;
        }

        var capacity = Math.Max(needed, Math.Max(2 * _capacity, 1024));
        var device = new Device(deviceType, deviceIndex);
        var predicted = empty(capacity, ScalarType.Int64, device).DetachFromDisposeScope();
        var targets = empty(capacity, ScalarType.Int64, device).DetachFromDisposeScope();
        var top = empty(capacity, ScalarType.Float32, device).DetachFromDisposeScope();
        if (_count > 0)
        {
            // Only on growth, on the same device (a device change flushed first).
            using var scope = NewDisposeScope();
            predicted.narrow(0, 0, _count).copy_(_predicted!.narrow(0, 0, _count));
            targets.narrow(0, 0, _count).copy_(_targets!.narrow(0, 0, _count));
            top.narrow(0, 0, _count).copy_(_top!.narrow(0, 0, _count));
        }

        Release();
        (_predicted, _targets, _top, _capacity, _deviceType, _deviceIndex) = (predicted, targets, top, capacity, deviceType, deviceIndex);
        hits.Reserve(device);
    }

    private void Release()
    {
        _predicted?.Dispose();
        _targets?.Dispose();
        _top?.Dispose();
        (_predicted, _targets, _top, _capacity) = (null, null, null, 0);
    }
}
