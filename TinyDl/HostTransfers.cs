using TorchSharp;

namespace TinyDl;

/// <summary>
/// The one place where TinyDl copies tensor values to the host. Metrics call it once per epoch; the
/// counter lets tests and benchmarks verify that an epoch of N batches costs O(1) transfers, not O(N).
/// </summary>
public static class HostTransfers
{
    private static long _count;

    /// <summary>The number of transfers since the process started (or since <see cref="ResetCount"/>).</summary>
    public static long Count => Interlocked.Read(ref _count);

    /// <summary>Sets <see cref="Count"/> back to zero.</summary>
    public static void ResetCount() => Interlocked.Exchange(ref _count, 0);

    /// <summary>Copies a one-element tensor to a double.</summary>
    /// <param name="tensor">A tensor with exactly one element, on any device and of any numeric type.</param>
    /// <returns>Its value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor has more or fewer than one element.</exception>
    public static double ToDouble(torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.numel() != 1)
        {
            throw new ArgumentException($"Expected a tensor with one element, got shape [{string.Join(", ", tensor.shape)}].", nameof(tensor));
        }

        Interlocked.Increment(ref _count);
        using var scope = torch.NewDisposeScope();
        return tensor.to_type(torch.ScalarType.Float64).item<double>();
    }

    /// <summary>Whether every element of a tensor is finite (neither NaN nor infinite): one transfer of one boolean.</summary>
    /// <param name="tensor">A tensor on any device.</param>
    /// <returns>True when all its elements are finite.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    public static bool IsFinite(torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Interlocked.Increment(ref _count);
        if (tensor.numel() == 1 && tensor.is_floating_point())
        {
            // The usual case, a batch's mean loss, read as a scalar: no tensor is created.
            using var scalar = tensor.ToScalar();
            return double.IsFinite(scalar.ToDouble());
        }

        using var scope = torch.NewDisposeScope();
        return tensor.detach().isfinite().all().item<bool>();
    }

    /// <summary>Copies a tensor's elements to a flat array of doubles (row-major).</summary>
    /// <param name="tensor">A tensor on any device and of any numeric type.</param>
    /// <returns>Its elements.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    public static double[] ToArray(torch.Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Interlocked.Increment(ref _count);
        using var scope = torch.NewDisposeScope();
        return tensor.detach().to_type(torch.ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
    }
}
