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

    /// <summary>Whether anything was added since the last reset.</summary>
    public bool IsEmpty { get; private set; } = true;

    /// <summary>Adds a value (a scalar, or a tensor of the shape of the first value added), times a weight, to the sum.</summary>
    /// <param name="value">The value; it is read, never kept.</param>
    /// <param name="weight">The weight, such as the number of samples a batch mean stands for. Defaults to 1.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    /// <exception cref="ArgumentException">The shape differs from the values added before.</exception>
    public void Add(torch.Tensor value, double weight = 1)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var scope = torch.NewDisposeScope();
        var addend = value.detach().to_type(torch.ScalarType.Float64);
        if (_sum is null)
        {
            _sum = torch.zeros_like(addend).DetachFromDisposeScope();
        }
        else if (_sum.device_type != addend.device_type || _sum.device_index != addend.device_index)
        {
            _sum = ReplaceOnDevice(_sum, addend.device);
        }

        if (!_sum.shape.SequenceEqual(addend.shape))
        {
            throw new ArgumentException($"Cannot add a value of shape [{string.Join(", ", addend.shape)}] to a sum of shape [{string.Join(", ", _sum.shape)}].", nameof(value));
        }

        if (weight == 1)
        {
            _sum.add_(addend);
        }
        else
        {
            _sum.add_(addend, weight);
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
        IsEmpty = true;
    }

    private static torch.Tensor ReplaceOnDevice(torch.Tensor sum, torch.Device device)
    {
        var moved = sum.to(device).DetachFromDisposeScope();
        sum.Dispose();
        return moved;
    }
}
