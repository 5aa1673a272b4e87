using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>
/// <see cref="Accuracy"/>'s path for the usual batch, scores [N, C] (C at least 2, floating point) and
/// class indices [N]: per batch two copies into buffers on the device (the score rows, in their own
/// type, and the targets), no kernel of its own. The arg max, hits, valid targets and NaN-scored
/// samples are computed when the buffer is flushed into the <see cref="HitRate"/>: at <c>Compute</c>,
/// when it holds <see cref="MaxElements"/> scores, or before a batch of another kind, so the counts and
/// the first invalid position come out as if every batch had been added on its own. The buffers grow
/// once (to an epoch's samples, at most <see cref="MaxElements"/> scores) and are reused every epoch.
/// </summary>
internal sealed class IndexHitBuffer(HitRate hits) : IDisposable
{
    /// <summary>The most scores buffered before a flush: 4 MiB of float32 (an epoch of Fashion-MNIST's 10 classes fits; ImageNet's 1,000 flush every ~1,000 samples).</summary>
    public const long MaxElements = 1L << 20;

    private Tensor? _scores; // [capacity, classes], the scores' type
    private Tensor? _targets; // int64 [capacity]
    private long _capacity;
    private long _count;
    private long _classes;
    private ScalarType _type;
    private DeviceType _deviceType;
    private int _deviceIndex;

    /// <summary>Whether a batch of <paramref name="size"/> samples takes this path; then <paramref name="classes"/> is C.</summary>
    /// <remarks>Reads sizes one at a time: <c>Tensor.shape</c> allocates an array and a callback per call.</remarks>
    public static bool Fits(Tensor output, Tensor target, long size, out long classes)
    {
        classes = 0;
        if (output.Dimensions != 2 || output.size(0) != size || !output.is_floating_point())
        {
            return false;
        }

        if (target.Dimensions != 1 || target.size(0) != size || !Shapes.IsIntegral(target))
        {
            return false;
        }

        classes = output.size(1);
        return classes >= 2;
    }

    /// <summary>Adds a batch of <paramref name="size"/> samples that <see cref="Fits"/>.</summary>
    public void Add(Tensor output, Tensor target, long size, long classes)
    {
        var type = output.dtype;
        var deviceType = output.device_type;
        var deviceIndex = deviceType == DeviceType.CPU ? -1 : output.device_index;
        if (_count > 0 && (classes != _classes || type != _type || deviceType != _deviceType || deviceIndex != _deviceIndex || (_count + size) * classes > MaxElements))
        {
            Flush();
        }

        Reserve(_count + size, classes, type, deviceType, deviceIndex);
        // In a run, metrics update with gradients disabled; a direct caller may not have disabled them.
        using var detached = is_grad_enabled() ? output.detach() : null;
        using (var rows = _scores!.narrow(0, _count, size))
        using (var labels = _targets!.narrow(0, _count, size))
        {
            rows.copy_(detached ?? output);
            labels.copy_(target);
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
        var labels = _targets!.narrow(0, 0, _count);
        var (top, predicted) = _scores!.narrow(0, 0, _count).max(1);
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

    private void Reserve(long needed, long classes, ScalarType type, DeviceType deviceType, int deviceIndex)
    {
        if (_scores is not null && needed <= _capacity && classes == _classes && type == _type && deviceType == _deviceType && deviceIndex == _deviceIndex)
        {
            return;
        }

        // Grow by doubling up to the element limit (never below one batch); the buffered samples are copied over.
        var limit = Math.Max(needed, MaxElements / classes);
        var capacity = Math.Min(Math.Max(needed, Math.Max(2 * _capacity, 1024)), limit);
        var device = new Device(deviceType, deviceIndex);
        var scores = empty([capacity, classes], type, device).DetachFromDisposeScope();
        var targets = empty(capacity, ScalarType.Int64, device).DetachFromDisposeScope();
        if (_count > 0)
        {
            // Only on growth with the same classes, type and device (any change flushed first).
            using var scope = NewDisposeScope();
            scores.narrow(0, 0, _count).copy_(_scores!.narrow(0, 0, _count));
            targets.narrow(0, 0, _count).copy_(_targets!.narrow(0, 0, _count));
        }

        Release();
        (_scores, _targets, _capacity, _classes, _type, _deviceType, _deviceIndex) = (scores, targets, capacity, classes, type, deviceType, deviceIndex);
        hits.Reserve(device);
    }

    private void Release()
    {
        _scores?.Dispose();
        _targets?.Dispose();
        (_scores, _targets, _capacity) = (null, null, 0);
    }
}
