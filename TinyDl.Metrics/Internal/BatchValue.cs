using static TorchSharp.torch;

namespace TinyDl.Metrics.Internal;

/// <summary>Reads a user-chosen value from a batch, by default the step's loss, with clear errors.</summary>
internal static class BatchValue
{
    public static Func<BatchCompleted, Tensor?> StepLoss { get; } = batch => batch.Loss;

    public static Tensor Read(string metric, BatchCompleted batch, Func<BatchCompleted, Tensor?> selector)
    {
        var value = selector(batch)
            ?? throw new InvalidOperationException($"Metric '{metric}' got no value for {batch.Stage.ToName()} batch {batch.Batch}; with the default selector it needs the step's loss, so give the {(batch.Stage == Stage.Train ? "Trainer" : "Validator")} a loss function.");
        if (value.Dimensions > 0 && value.size(0) != batch.Size)
        {
            throw new ArgumentException($"Metric '{metric}' expects a scalar (the batch's mean) or per-sample values with the batch's {batch.Size} samples along the first dimension; got shape {Shapes.Of(value)}.", nameof(batch));
        }

        return value;
    }
}
