using static TorchSharp.torch;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// The k samples of an epoch with the highest keys, kept on the device: each batch's candidates are
/// concatenated with those kept and cut back to k with <c>topk</c>, so at most k + batch rows are on the
/// device at once and nothing reaches the host until <see cref="Take"/>. Ties keep the earlier sample.
/// Rows: key, sample index, target, predicted class, probability, loss, then the flattened pixels.
/// </summary>
internal sealed class TopCandidates(int k) : IDisposable
{
    private const int Columns = 6;
    private Tensor? _keys;
    private Tensor? _rows;

    public void Reset()
    {
        _keys?.Dispose();
        _rows?.Dispose();
        _keys = null;
        _rows = null;
    }

    /// <summary>Offers a batch's candidates: keys [n] and rows [n, 5 + pixels] (without the key column).</summary>
    public void Offer(Tensor keys, Tensor rows)
    {
        if (keys.shape[0] == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var allKeys = _keys is null ? keys : cat([_keys, keys]);
        var allRows = _rows is null ? rows : cat([_rows, rows]);
        // Sorting by key, then by position, keeps the earlier sample among equal keys; positions are unique.
        var count = (int)Math.Min(k, allKeys.shape[0]);
        var order = allKeys.sort(0, descending: true, stable: true).Indices.narrow(0, 0, count);
        var keptKeys = allKeys.index_select(0, order).contiguous();
        var keptRows = allRows.index_select(0, order).contiguous();
        keptKeys.DetachFromDisposeScope();
        keptRows.DetachFromDisposeScope();
        Reset();
        _keys = keptKeys;
        _rows = keptRows;
    }

    /// <summary>Copies the kept candidates to the host, best first, and forgets them.</summary>
    public List<PredictionEntry> Take()
    {
        var entries = new List<PredictionEntry>();
        if (_rows is not null)
        {
            using var host = _rows.cpu();
            var width = (int)host.shape[1];
            var values = host.data<float>().ToArray();
            for (var i = 0; i < host.shape[0]; i++)
            {
                var row = values.AsSpan(i * width, width);
                entries.Add(new PredictionEntry((long)row[0], (int)row[1], (int)row[2], row[3], row[4], row[(Columns - 1)..].ToArray()));
            }
        }

        Reset();
        return entries;
    }

    public void Dispose() => Reset();
}
