using static TorchSharp.torch;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// The k samples of an epoch with the highest keys, kept on the device: each batch's candidates are
/// best k are made into rows, concatenated with those kept and cut back to k, so at most 2k rows are on
/// the device at once and nothing reaches the host until <see cref="Take"/>. Ties keep the earlier sample.
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

    /// <summary>
    /// Offers a batch's candidates: keys [n], and <paramref name="rowsOf"/>, which makes the rows
    /// [m, 5 + pixels] (without the key column) of the batch positions it is given. Only the batch's own
    /// best k are made into rows (at most k of its n), so a batch costs k rows' copies, not n.
    /// </summary>
    public void Offer(Tensor keys, Func<Tensor, Tensor> rowsOf)
    {
        var n = keys.size(0);
        if (n == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        // The batch's best k, back in batch order, so that among equal keys the earlier sample still comes first.
        var best = n <= k ? null : keys.sort(0, descending: true, stable: true).Indices.narrow(0, 0, k).sort().Values;
        var batchKeys = best is null ? keys : keys.index_select(0, best);
        var batchRows = rowsOf(best ?? arange(n, ScalarType.Int64, keys.device));
        var allKeys = _keys is null ? batchKeys : cat([_keys, batchKeys]);
        var allRows = _rows is null ? batchRows : cat([_rows, batchRows]);
        // Sorting by key, then by position, keeps the earlier sample among equal keys; positions are unique.
        var count = (int)Math.Min(k, allKeys.size(0));
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
