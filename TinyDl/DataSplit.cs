using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Holds samples out of in-memory data, seeded, optionally stratified by class: the validation split
/// carved from a training set, so that model selection never looks at the test set. Indices are drawn
/// with <see cref="Random"/> (not TorchSharp's generator, which the split leaves untouched) and returned in
/// ascending order; the same labels, count and seed give the same split on every machine.
/// </summary>
public static class DataSplit
{
    /// <summary>Draws <paramref name="heldOut"/> of <paramref name="count"/> sample indices at random.</summary>
    /// <param name="count">The number of samples.</param>
    /// <param name="heldOut">How many to hold out, from 0 to <paramref name="count"/>.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <returns>The kept and the held-out indices, int64, ascending.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heldOut"/> is negative or more than <paramref name="count"/>.</exception>
    public static (Tensor Kept, Tensor HeldOut) Indices(long count, long heldOut, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        CheckHeldOut(count, heldOut);
        var order = Permutation(Enumerable.Range(0, checked((int)count)).Select(i => (long)i).ToArray(), new Random(unchecked((int)seed ^ (int)(seed >> 32))));
        return Tensors(order[..(int)heldOut], order[(int)heldOut..]);
    }

    /// <summary>
    /// Draws <paramref name="heldOut"/> sample indices so that every class keeps its share: class c with
    /// n_c of N samples gives n_c x heldOut / N of them, rounded so the total is exact (largest remainders
    /// first, ties to the smaller class label).
    /// </summary>
    /// <param name="labels">The class of each sample: a 1-D integer tensor, on any device.</param>
    /// <param name="heldOut">How many to hold out, from 0 to the number of samples.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <returns>The kept and the held-out indices, int64, ascending, on the CPU.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentException">The labels are not a 1-D integer tensor.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heldOut"/> is negative or more than the number of samples.</exception>
    public static (Tensor Kept, Tensor HeldOut) StratifiedIndices(Tensor labels, long heldOut, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.dim() != 1 || labels.is_floating_point() || labels.dtype == ScalarType.Bool)
        {
            throw new ArgumentException($"Stratified splitting needs a 1-D integer tensor of class labels, not {labels.dtype} of shape [{string.Join(", ", labels.shape)}].", nameof(labels));
        }

        var classes = HostTransfers.ToArray(labels).Select(v => (long)v).ToArray();
        CheckHeldOut(classes.Length, heldOut);
        var byClass = classes.Select((label, index) => (label, index: (long)index)).GroupBy(s => s.label).OrderBy(g => g.Key).ToList();
        var exact = byClass.Select(g => (double)g.Count() * heldOut / classes.Length).ToArray();
        var take = exact.Select(e => (long)Math.Floor(e)).ToArray();
        var rest = heldOut - take.Sum();
        foreach (var i in Enumerable.Range(0, take.Length).OrderByDescending(i => exact[i] - take[i]).ThenBy(i => i).Take((int)rest))
        {
            take[i]++;
        }

        var random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var held = new List<long>();
        var kept = new List<long>();
        for (var c = 0; c < byClass.Count; c++)
        {
            var order = Permutation([.. byClass[c].Select(s => s.index)], random);
            held.AddRange(order[..(int)take[c]]);
            kept.AddRange(order[(int)take[c]..]);
        }

        return Tensors([.. held], [.. kept]);
    }

    /// <summary>Splits samples and their targets: <paramref name="heldOut"/> samples go to the second part, the rest stay in the first.</summary>
    /// <param name="x">The samples, first dimension N.</param>
    /// <param name="y">The targets, first dimension N; class labels when <paramref name="stratify"/>.</param>
    /// <param name="heldOut">How many samples to hold out.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <param name="stratify">Whether every class keeps its share (<see cref="StratifiedIndices"/>). Defaults to true.</param>
    /// <returns>New tensors (copies, on the inputs' device) for both parts, samples in their original order.</returns>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">The first dimensions differ, or stratified targets are not 1-D integer labels.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="heldOut"/> is negative or more than N.</exception>
    public static ((Tensor X, Tensor Y) Kept, (Tensor X, Tensor Y) HeldOut) HoldOut(Tensor x, Tensor y, long heldOut, long seed, bool stratify = true)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.shape[0] != y.shape[0])
        {
            throw new ArgumentException($"The samples ({x.shape[0]}) and targets ({y.shape[0]}) differ in number.", nameof(y));
        }

        var (kept, held) = stratify ? StratifiedIndices(y, heldOut, seed) : Indices(x.shape[0], heldOut, seed);
        using (kept)
        using (held)
        using (var keptOn = kept.to(x.device))
        using (var heldOn = held.to(x.device))
        {
            return ((x.index_select(0, keptOn), y.index_select(0, keptOn)), (x.index_select(0, heldOn), y.index_select(0, heldOn)));
        }
    }

    private static void CheckHeldOut(long count, long heldOut)
    {
        if (heldOut < 0 || heldOut > count)
        {
            throw new ArgumentOutOfRangeException(nameof(heldOut), heldOut, $"Hold out between 0 and the {count} samples there are.");
        }
    }

    private static long[] Permutation(long[] items, Random random)
    {
        random.Shuffle(items);
        return items;
    }

    private static (Tensor Kept, Tensor HeldOut) Tensors(long[] held, long[] kept)
    {
        Array.Sort(held);
        Array.Sort(kept);
        return (tensor(kept), tensor(held));
    }
}
