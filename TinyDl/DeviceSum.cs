using TorchSharp;

namespace TinyDl;

/// <summary>
/// A running sum kept as a tensor on the device of the values added (in float64), for metrics that
/// must not synchronise with the host every batch. The sum lives outside the batches' dispose scopes
/// and is released by <see cref="Dispose"/>.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
public sealed class DeviceSum : IDisposable
{
    private torch.Tensor? _sum;
    private DeviceType _deviceType;
    private int _deviceIndex;
    private Scalar? _weight;
    private double _weightValue;

    /// <summary>Whether anything was added since the last reset.</summary>
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Adds a value (a scalar, or a tensor of the shape of the first value added), times a weight, to the sum.</summary>
    /// <param name="value">The value; it is read, never kept.</param>
    /// <param name="weight">The weight, such as the number of samples a batch mean stands for. Defaults to 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public void Add(torch.Tensor value, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(value);
        // The device index is read only off the CPU, where it can differ: one native call less per batch.
        var deviceType = value.device_type;
        var deviceIndex = deviceType == DeviceType.CPU ? -1 : value.device_index;
        if (_sum is null)
        {
            _sum = torch.zeros(value.shape, torch.ScalarType.Float64, value.device).DetachFromDisposeScope();
            _deviceType = deviceType;
            _deviceIndex = deviceIndex;
        }
        else if (deviceType != _deviceType || deviceIndex != _deviceIndex)
        {
            var moved = _sum.to(value.device).DetachFromDisposeScope();
            _sum.Dispose();
            _sum = moved;
            _deviceType = deviceType;
            _deviceIndex = deviceIndex;
        }

        // The hot path of every metric: one in-place add, which promotes the value to float64, with the
        // weight as a scalar kept while it stays the same (a batch size). A detach (a view, so the sum
        // never joins the autograd graph) only where gradients are enabled: in a run metrics update under
        // no_grad. libtorch rejects a value whose shape does not broadcast to the sum's.
        using var detached = torch.is_grad_enabled() ? value.detach() : null;
        if (weight == 1)
        {
            _sum.add_(detached ?? value);
        }
        else
        {
            if (_weight is null || _weightValue != weight)
            {
                _weight?.Dispose();
                _weight = weight.ToScalar();
                _weightValue = weight;
            }

            _sum.add_(detached ?? value, _weight);
        }

        IsEmpty = false;
    }

    /// <summary>The sum as a double (one host transfer). Zero when nothing was added.</summary>
    /// <returns>The sum.</returns>
    /// <exception cref="InvalidOperationException">The sum is not a scalar.</exception>
    public double ToDouble()
    {
        if (_sum is null || IsEmpty)
        {
            return 0;
        }

        return _sum.numel() == 1
            ? HostTransfers.ToDouble(_sum)
            : throw new InvalidOperationException($"The sum has shape [{string.Join(", ", _sum.shape)}]; use ToArray.");
    }

    /// <summary>The sum's elements (one host transfer). Empty when nothing was added.</summary>
    /// <returns>The elements, row-major.</returns>
    public double[] ToArray() => _sum is null || IsEmpty ? [] : HostTransfers.ToArray(_sum);

    /// <summary>Sets the sum back to zero, keeping its storage.</summary>
    public void Reset()
    {
        if (_sum is not null && !IsEmpty)
        {
            using var scope = torch.NewDisposeScope();
            _sum.zero_();
        }

        IsEmpty = true;
    }

    /// <summary>Releases the sum's tensor.</summary>
    public void Dispose()
    {
        _sum?.Dispose();
        _sum = null;
        _weight?.Dispose();
        _weight = null;
        IsEmpty = true;
    }
}
