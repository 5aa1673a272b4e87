using System.Collections;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>Adapts TorchSharp <c>DataLoader</c>s to the (input, target) batches trainers and validators take.</summary>
public static class DataLoaderExtensions
{
    /// <summary>
    /// The batches of a loader over a <c>Dataset</c> (which yields dictionaries of named tensors),
    /// with the number of batches known, so progress can show it.
    /// </summary>
    /// <param name="loader">The loader.</param>
    /// <param name="inputKey">The name of the input tensor. Defaults to <c>data</c>.</param>
    /// <param name="targetKey">The name of the target tensor. Defaults to <c>label</c>.</param>
    /// <returns>The batches, enumerating the loader afresh each epoch.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loader"/> is null.</exception>
    public static IReadOnlyCollection<(Tensor Input, Tensor Target)> AsBatches(
        this DataLoader<Dictionary<string, Tensor>, Dictionary<string, Tensor>> loader,
        string inputKey = "data",
        string targetKey = "label")
    {
        ArgumentNullException.ThrowIfNull(loader);
        return new Adapter<Dictionary<string, Tensor>>(loader, checked((int)loader.Count), batch => (Pick(batch, inputKey), Pick(batch, targetKey)));
    }

    /// <summary>The batches of a loader over an <c>IterableDataset</c> such as <c>TensorDataset(inputs, targets)</c>.</summary>
    /// <param name="loader">The loader.</param>
    /// <param name="inputIndex">The position of the input tensor in each batch. Defaults to 0.</param>
    /// <param name="targetIndex">The position of the target tensor in each batch. Defaults to 1.</param>
    /// <returns>The batches, enumerating the loader afresh each epoch.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="loader"/> is null.</exception>
    public static IReadOnlyCollection<(Tensor Input, Tensor Target)> AsBatches(
        this DataLoader<IList<Tensor>, IList<Tensor>> loader,
        int inputIndex = 0,
        int targetIndex = 1)
    {
        ArgumentNullException.ThrowIfNull(loader);
        return new Adapter<IList<Tensor>>(loader, checked((int)loader.Count), batch => (Pick(batch, inputIndex), Pick(batch, targetIndex)));
    }

    private static Tensor Pick(Dictionary<string, Tensor> batch, string key) =>
        batch.TryGetValue(key, out var tensor)
            ? tensor
            : throw new KeyNotFoundException($"The data loader's batches have no tensor named '{key}'; they have: {string.Join(", ", batch.Keys)}.");

    private static Tensor Pick(IList<Tensor> batch, int index) =>
        index >= 0 && index < batch.Count
            ? batch[index]
            : throw new ArgumentOutOfRangeException(nameof(index), $"The data loader's batches hold {batch.Count} tensors; there is no tensor {index}.");

    private sealed class Adapter<TBatch>(IEnumerable<TBatch> source, int count, Func<TBatch, (Tensor, Tensor)> select)
        : IReadOnlyCollection<(Tensor Input, Tensor Target)>
    {
        public int Count => count;

        public IEnumerator<(Tensor Input, Tensor Target)> GetEnumerator()
        {
            foreach (var batch in source)
            {
                yield return select(batch);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
