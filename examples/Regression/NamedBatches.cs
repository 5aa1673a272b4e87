using System.Collections;
using static TorchSharp.torch;

namespace Regression;

/// <summary>
/// Batches of named in-memory tensors along their first dimension, as dictionaries such as
/// <c>{"features", "target"}</c>: the named counterpart of <c>TensorBatches</c>, in a new seeded order
/// each enumeration when shuffling. Each batch's tensors belong to the scope of the batch that uses them.
/// </summary>
internal sealed class NamedBatches(IReadOnlyDictionary<string, Tensor> tensors, int batchSize, bool shuffle = false, long seed = 0)
    : IReadOnlyCollection<IReadOnlyDictionary<string, Tensor>>
{
    private readonly long _length = tensors.Values.First().size(0);
    private int _enumerations;

    /// <inheritdoc />
    public int Count => (int)((_length + batchSize - 1) / batchSize);

    /// <inheritdoc />
    public IEnumerator<IReadOnlyDictionary<string, Tensor>> GetEnumerator()
    {
        Tensor? order = null;
        try
        {
            if (shuffle)
            {
                // Outside any batch's scope: the order lives for the whole epoch.
                using var generator = new Generator(unchecked((ulong)((seed * 1_000_003) + _enumerations++)));
                order = randperm(_length, generator: generator).DetachFromDisposeScope();
            }

            for (var start = 0L; start < _length; start += batchSize)
            {
                var length = Math.Min(batchSize, _length - start);
                var indices = order?.narrow(0, start, length);
                yield return tensors.ToDictionary(t => t.Key, t => indices is null ? t.Value.narrow(0, start, length) : t.Value.index_select(0, indices));
            }
        }
        finally
        {
            order?.Dispose();
        }
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
