using System.Collections;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Batches of in-memory tensors along their first dimension, optionally in a fresh seeded order each
/// time they are enumerated (each epoch). The fastest data source for data that fits in memory: a
/// batch is a view (in order) or one <c>index_select</c> (shuffled). The tensors given stay the
/// caller's; every batch belongs to the scope of the batch that uses it.
/// </summary>
/// <remarks>
/// The order of the k-th enumeration depends only on the seed and k, so a run resumed at epoch k can
/// set <see cref="Enumerations"/> to k - 1 and see the same batches as an uninterrupted run.
/// </remarks>
public sealed class TensorBatches : IReadOnlyCollection<(Tensor Input, Tensor Target)>, IReplayableData
{
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly long _length;
    private readonly bool _targetsWithInputs;

    /// <summary>Creates batches over the first dimension of two tensors of equal length.</summary>
    /// <param name="inputs">The inputs, samples along the first dimension.</param>
    /// <param name="targets">The targets, samples along the first dimension.</param>
    /// <param name="batchSize">Samples per batch; the last batch may be shorter.</param>
    /// <param name="shuffle">Whether to use a new random order each enumeration. Defaults to false.</param>
    /// <param name="seed">The seed of the orders when shuffling.</param>
    /// <param name="dropLast">Whether to leave out a last batch shorter than <paramref name="batchSize"/>. Defaults to false.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The tensors are scalars, differ in length, or are empty.</exception>
    public TensorBatches(Tensor inputs, Tensor targets, int batchSize, bool shuffle = false, long seed = 0, bool dropLast = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (inputs.Dimensions == 0 || targets.Dimensions == 0)
        {
            throw new ArgumentException("Inputs and targets need a first (sample) dimension; got a scalar.", inputs.Dimensions == 0 ? nameof(inputs) : nameof(targets));
        }

        if (inputs.size(0) != targets.size(0))
        {
            throw new ArgumentException($"Inputs have {inputs.size(0)} samples but targets have {targets.size(0)}.", nameof(targets));
        }

        if (inputs.size(0) == 0)
        {
            throw new ArgumentException("The tensors hold no samples.", nameof(inputs));
        }

        _inputs = inputs;
        _targets = targets;
        _length = inputs.size(0);
        _targetsWithInputs = inputs.device_type == targets.device_type && inputs.device_index == targets.device_index;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Count = BatchOrder.Count(_length, batchSize, dropLast);
    }

    /// <summary>The number of batches per enumeration.</summary>
    public int Count { get; }

    /// <summary>The number of samples per enumeration.</summary>
    public long Samples => DropLast ? (long)Count * BatchSize : _length;

    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Whether each enumeration uses a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the orders.</summary>
    public long Seed { get; }

    /// <summary>Whether a short last batch is left out.</summary>
    public bool DropLast { get; }

    /// <summary>How many enumerations have started; the next one uses order number <c>Enumerations</c>.
    /// Set it to skip orders when resuming.</summary>
    public int Enumerations { get; set; }

    /// <inheritdoc />
    public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator()
    {
        var enumeration = Enumerations++;
        return Enumerate(enumeration);
    }

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<(Tensor Input, Tensor Target)> Enumerate(int enumeration)
    {
        foreach (var (start, length, indices) in BatchOrder.Batches(_length, BatchSize, Shuffle, Seed, enumeration, DropLast, _inputs.device))
        {
            if (indices is null)
            {
                yield return (_inputs.narrow(0, start, length), _targets.narrow(0, start, length));
            }
            else
            {
                using (indices)
                {
                    // The order lives on the inputs' device; the targets need a copy only when they are elsewhere.
                    yield return (_inputs.index_select(0, indices), _targets.index_select(0, _targetsWithInputs ? indices : indices.to(_targets.device)));
                }
            }
        }
    }
}
