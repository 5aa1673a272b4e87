using System.Security.Cryptography;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Runs;

/// <summary>
/// SHA-256 fingerprints (lower-case hex) of data and weights, to record in a run's manifest what a run
/// trained on and started from. Take one fingerprint per split, so a change in one split shows in that
/// split's fingerprint only.
/// </summary>
public static class Fingerprint
{
    private const int FileBuffer = 1 << 20;
    private const long ChunkBytes = 1L << 30;
    private const long RowChunkBytes = 8L << 20;

    /// <summary>The SHA-256 of the files' contents one after the other, the same as <c>cat files | sha256sum</c>.</summary>
    /// <param name="paths">The files, in order.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> or one of them is null.</exception>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static string OfFiles(params IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[FileBuffer];
        foreach (var path in paths)
        {
            ArgumentNullException.ThrowIfNull(path, nameof(paths));
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The SHA-256 of the tensors' elements one tensor after the other, each as its C-contiguous bytes in
    /// the machine's byte order (what <c>tensor.numpy().tobytes()</c> gives in Python). Shapes and types
    /// are not included: fingerprint the images and the labels of one split together.
    /// </summary>
    /// <param name="tensors">The tensors, on any device; they are neither changed nor disposed.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tensors"/> or one of them is null.</exception>
    public static string Of(params IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            AppendElements(hash, tensor);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The fingerprint <see cref="Of"/> gives for each tensor's <c>index_select(0, rows)</c>, without
    /// making those copies whole: the rows are gathered and hashed a few MiB at a time. For a split that
    /// batches rows in place (<see cref="TensorBatches(Tensor, Tensor, Tensor, int, bool, long, bool)"/>).
    /// </summary>
    /// <param name="rows">The rows, a 1-D int64 tensor of indices into each tensor's first dimension.</param>
    /// <param name="tensors">The tensors, on any device; they are neither changed nor disposed.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rows"/>, <paramref name="tensors"/> or one of them is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="rows"/> is not a 1-D int64 tensor, or a tensor is a scalar.</exception>
    public static string OfRows(Tensor rows, params IEnumerable<Tensor> tensors) => OfRows(rows, tensors, RowChunkBytes);

    /// <summary>As <see cref="OfRows(Tensor, IEnumerable{Tensor})"/>, gathering about <paramref name="chunkBytes"/> at a time.</summary>
    internal static string OfRows(Tensor rows, IEnumerable<Tensor> tensors, long chunkBytes)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(tensors);
        if (rows.dim() != 1 || rows.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"Rows must be a 1-D int64 tensor of indices, not {rows.dtype} of shape [{string.Join(", ", rows.shape)}].", nameof(rows));
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (tensor.dim() == 0)
            {
                throw new ArgumentException("A tensor to take rows of is a scalar.", nameof(tensors));
            }

            using var scope = NewDisposeScope();
            var source = tensor.detach();
            var on = rows.to(source.device);
            var rowBytes = Math.Max(1, source.shape.Skip(1).Aggregate(1L, (a, b) => a * b) * source.ElementSize);
            var chunk = Math.Max(1, chunkBytes / rowBytes);
            var count = on.shape[0];
            for (long start = 0; start < count; start += chunk)
            {
                // Each part freed before the next, so its memory is reused rather than touched anew.
                using var part = source.index_select(0, on.narrow(0, start, Math.Min(chunk, count - start)));
                AppendElements(hash, part);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The SHA-256 of a module's state (parameters and buffers, from <c>state_dict()</c>): for each entry
    /// in order its name, element type and shape, then its bytes as <see cref="Of"/> hashes them. Two
    /// models have the same fingerprint when they would load the same state.
    /// </summary>
    /// <param name="module">The model.</param>
    /// <returns>64 lower-case hex digits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="module"/> is null.</exception>
    public static string OfWeights(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, tensor) in module.state_dict())
        {
            var header = $"{name}\t{tensor.dtype}\t{string.Join(",", tensor.shape)}\n";
            hash.AppendData(Encoding.UTF8.GetBytes(header));
            AppendElements(hash, tensor);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendElements(IncrementalHash hash, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        var count = flat.shape[0];
        var chunk = Math.Max(1, ChunkBytes / flat.ElementSize);
        for (long start = 0; start < count; start += chunk)
        {
            var part = flat.narrow(0, start, Math.Min(chunk, count - start));
            hash.AppendData(part.bytes);
        }
    }
}
