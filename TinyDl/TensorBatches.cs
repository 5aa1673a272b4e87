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
    private readonly Tensor? _rows;

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
        : this(inputs, targets, batchSize, shuffle, seed, dropLast, rows: null)
    {
    }

    private TensorBatches(Tensor inputs, Tensor targets, int batchSize, bool shuffle, long seed, bool dropLast, Tensor? rows)
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

        if (rows is not null)
        {
            CheckRows(inputs, rows);
        }

        _inputs = inputs;
        _targets = targets;
        _rows = rows;
        _length = rows?.size(0) ?? inputs.size(0);
        _targetsWithInputs = inputs.device_type == targets.device_type && inputs.device_index == targets.device_index;
        BatchSize = batchSize;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        Count = BatchOrder.Count(_length, batchSize, dropLast);
    }

    /// <summary>
    /// Creates batches over some rows of two tensors, in the order <paramref name="rows"/> gives them:
    /// the same batches as over <c>inputs.index_select(0, rows)</c> and <c>targets.index_select(0, rows)</c>,
    /// without copying those rows first. For a training split held out of in-memory data
    /// (<see cref="DataSplit.StratifiedIndices"/>): each epoch composes its order with the rows once, and
    /// a batch is one <c>index_select</c> as before.
    /// </summary>
    /// <param name="inputs">The inputs, samples along the first dimension.</param>
    /// <param name="targets">The targets, samples along the first dimension.</param>
    /// <param name="rows">The samples to batch: a 1-D int64 tensor of indices into the first dimension, on the inputs' device; kept, not copied, so leave it unchanged.</param>
    /// <param name="batchSize">Samples per batch; the last batch may be shorter.</param>
    /// <param name="shuffle">Whether to use a new random order of the rows each enumeration. Defaults to false.</param>
    /// <param name="seed">The seed of the orders when shuffling.</param>
    /// <param name="dropLast">Whether to leave out a last batch shorter than <paramref name="batchSize"/>. Defaults to false.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    /// <exception cref="ArgumentException">
    /// The tensors are scalars, differ in length, or are empty; or <paramref name="rows"/> is not a non-empty
    /// 1-D int64 tensor on the inputs' device with every index within the inputs.
    /// </exception>
    public TensorBatches(Tensor inputs, Tensor targets, Tensor rows, int batchSize, bool shuffle = false, long seed = 0, bool dropLast = false)
        : this(inputs, targets, batchSize, shuffle, seed, dropLast, rows ?? throw new ArgumentNullException(nameof(rows)))
    {
    }

    private static void CheckRows(Tensor inputs, Tensor rows)
    {
        if (rows.dim() != 1 || rows.dtype != ScalarType.Int64 || rows.size(0) == 0)
        {
            throw new ArgumentException($"Rows must be a non-empty 1-D int64 tensor of sample indices, not {rows.dtype} of shape [{string.Join(", ", rows.shape)}].", nameof(rows));
        }

        if (rows.device_type != inputs.device_type || rows.device_index != inputs.device_index)
        {
            throw new ArgumentException($"Rows are on {rows.device} but the inputs on {inputs.device}; move them to the inputs' device.", nameof(rows));
        }

        using (var low = rows.min())
        using (var high = rows.max())
        {
            var (min, max) = (low.item<long>(), high.item<long>());
            if (min < 0 || max >= inputs.size(0))
            {
                throw new ArgumentException($"Rows index samples {min} to {max}, but the inputs have {inputs.size(0)} (0 to {inputs.size(0) - 1}).", nameof(rows));
            }
        }
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
        foreach (var (start, length, indices) in BatchOrder.Batches(_length, BatchSize, Shuffle, Seed, enumeration, DropLast, _inputs.device, _rows))
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
