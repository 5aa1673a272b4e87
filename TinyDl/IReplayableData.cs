namespace TinyDl;

/// <summary>
/// Data whose batch order depends only on its seed and on how many times it has been enumerated, such
/// as <see cref="TensorBatches"/> and <see cref="NamedTensorBatches"/>. Checkpoints save
/// <see cref="Enumerations"/> and a resumed run sets it back, so the resumed epochs see the same
/// batches as an uninterrupted run. Implement it on your own data source to take part.
/// </summary>
public interface IReplayableData
{
    /// <summary>How many enumerations have started; the next one uses order number <c>Enumerations</c>.</summary>
    int Enumerations { get; set; }
}
