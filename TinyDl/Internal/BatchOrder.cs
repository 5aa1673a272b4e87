using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>The batches of one enumeration of in-memory samples: in order, or in the seeded order of that enumeration.</summary>
internal static class BatchOrder
{
    /// <summary>How many batches <paramref name="length"/> samples make.</summary>
    /// <exception cref="ArgumentException">With <paramref name="dropLast"/>, there is no full batch.</exception>
    public static int Count(long length, int batchSize, bool dropLast)
    {
        var full = length / batchSize;
        var count = checked((int)(dropLast || length % batchSize == 0 ? full : full + 1));
        return count > 0 ? count : throw new ArgumentException($"With dropLast, {length} samples make no full batch of {batchSize}.", nameof(dropLast));
    }

    /// <summary>
    /// Each batch as a start and length (in order) or as sample indices (shuffled). The indices belong to
    /// the batch's scope; the order itself lives, outside any scope, for the whole enumeration.
    /// </summary>
    public static IEnumerable<(long Start, long Length, Tensor? Indices)> Batches(
        long length, int batchSize, bool shuffle, long seed, int enumeration, bool dropLast, Device device, Tensor? rows = null)
    {
        // With rows, batches index the rows' positions: the epoch's order is composed with them once.
        Tensor? order = null;
        var owned = true;
        try
        {
            if (shuffle)
            {
                using var generator = new Generator(unchecked((ulong)(seed * 1_000_003 + enumeration)));
                order = randperm(length, generator: generator, device: device).DetachFromDisposeScope();
                if (rows is not null)
                {
                    using var positions = order;
                    order = rows.index_select(0, positions).DetachFromDisposeScope();
                }
            }
            else if (rows is not null)
            {
                (order, owned) = (rows, false);
            }

            for (var start = 0L; start < length; start += batchSize)
            {
                var size = Math.Min(batchSize, length - start);
                if (size < batchSize && dropLast)
                {
                    yield break;
                }

                yield return (start, size, order?.narrow(0, start, size));
            }
        }
        finally
        {
            if (owned)
            {
                order?.Dispose();
            }
        }
    }
}
