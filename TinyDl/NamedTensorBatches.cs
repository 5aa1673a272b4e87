using System.Collections;
using TinyDl.Internal;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Batches of named in-memory tensors, such as <c>{"x", "mask", "labels"}</c>, along their shared first
/// dimension, optionally in a fresh seeded order each enumeration: the named counterpart of
/// <see cref="TensorBatches"/> for custom steps, with the same order for the same seed and enumeration,
/// so a resumed run sees the same batches. Each batch is a dictionary with the same names.
/// </summary>
public sealed class NamedTensorBatches : IReadOnlyCollection<IReadOnlyDictionary<string, Tensor>>, IReplayableData
{
    private readonly KeyValuePair<string, Tensor>[] _tensors;
    private readonly long _length;

    /// <summary>Creates batches over the first dimension of named tensors of equal length.</summary>
    /// <param name="tensors">The tensors by name, samples along the first dimension; kept in this order in every batch.</param>
    /// <param name="batchSize">Samples per batch; the last batch may be shorter.</param>
    /// <param name="shuffle">Whether to use a new random order each enumeration. Defaults to false.</param>
    /// <param name="seed">The seed of the orders when shuffling.</param>
    /// <param name="dropLast">Whether to leave out a last batch shorter than <paramref name="batchSize"/>. Defaults to false.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensors"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">There are no tensors, one is null or a scalar, they differ in length, or they are empty.</exception>
    public NamedTensorBatches(IReadOnlyDictionary<string, Tensor> tensors, int batchSize, bool shuffle = false, long seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (Batch.ProblemOf(tensors) is { } problem)
        {
            throw new ArgumentException($"The tensors cannot make batches: the dictionary {problem}.", nameof(tensors));
        }

        _tensors = [.. tensors];
        if (_tensors.FirstOrDefault(t => t.Value.Dimensions == 0) is { Key: not null } scalar)
        {
            throw new ArgumentException($"Tensor '{scalar.Key}' is a scalar; every tensor needs a first (sample) dimension.", nameof(tensors));
        }

        var (firstName, first) = _tensors[0];
        _length = first.size(0);
        if (_tensors.FirstOrDefault(t => t.Value.size(0) != _length) is { Key: not null } other)
        {
            throw new ArgumentException($"Tensor '{other.Key}' has {other.Value.size(0)} samples but '{firstName}' has {_length}.", nameof(tensors));
        }

        if (_length == 0)
        {
            throw new ArgumentException("The tensors hold no samples.", nameof(tensors));
        }

        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Count = BatchOrder.Count(_length, batchSize, dropLast);
    }

    /// <summary>The number of batches per enumeration.</summary>
    public int Count { get; }

    /// <summary>The names of the tensors, in the order of every batch.</summary>
    public IEnumerable<string> Names => _tensors.Select(t => t.Key);

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each enumeration uses a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the orders.</summary>
    public long Seed { get; }

    /// <summary>Whether a short last batch is left out.</summary>
    public bool DropLast { get; }

    /// <inheritdoc />
    public int Enumerations { get; set; }

    /// <inheritdoc />
    public IEnumerator<IReadOnlyDictionary<string, Tensor>> GetEnumerator()
    {
        var enumeration = Enumerations++;
        return Enumerate(enumeration);
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<IReadOnlyDictionary<string, Tensor>> Enumerate(int enumeration)
    {
        foreach (var (start, length, indices) in BatchOrder.Batches(_length, BatchSize, Shuffle, Seed, enumeration, DropLast, _tensors[0].Value.device))
        {
            var batch = new Dictionary<string, Tensor>(_tensors.Length, StringComparer.Ordinal);
            foreach (var (name, tensor) in _tensors)
            {
                batch[name] = indices is null ? tensor.narrow(0, start, length) : tensor.index_select(0, indices.to(tensor.device));
            }

            yield return batch;
        }
    }
}
