using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>A stage's data as given (<see cref="Source"/>) and as the <see cref="Batch"/>es the loop runs over.</summary>
internal sealed class BatchData
{
    private BatchData(object source, IEnumerable<Batch?> batches, Func<int?> count)
    {
        Source = source;
        Batches = batches;
        Count = count;
    }

    /// <summary>The data the user gave: tuples, dictionaries or a <see cref="TensorBatches"/>.</summary>
    public object Source { get; }

    /// <summary>The batches, enumerated afresh each epoch; null stands for a batch that is null or holds a null tensor.</summary>
    public IEnumerable<Batch?> Batches { get; }

    /// <summary>The number of batches when the source knows it without enumerating.</summary>
    public Func<int?> Count { get; }

    public static BatchData Of(IEnumerable<(Tensor Input, Tensor Target)> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new BatchData(data, data.Select(b => Batch.Of(b.Input, b.Target)), () => CountOf(data));
    }

    public static BatchData Of(IEnumerable<IReadOnlyDictionary<string, Tensor>> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new BatchData(data, data.Select(Batch.Of), () => CountOf(data));
    }

    private static int? CountOf<T>(IEnumerable<T> data) => data switch
    {
        IReadOnlyCollection<T> collection => collection.Count,
        _ when data.TryGetNonEnumeratedCount(out var count) => count,
        _ => null,
    };
}
