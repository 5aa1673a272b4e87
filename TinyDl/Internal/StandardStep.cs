using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>The step of a trainer or validator built from a model and a loss function: forward the input, compute the loss if there is a function.</summary>
internal static class StandardStep
{
    public static Func<Batch, StepOutput> Create(nn.Module<Tensor, Tensor> model, Func<Tensor, Tensor, Tensor>? loss)
    {
        ArgumentNullException.ThrowIfNull(model);
        return batch =>
        {
            var output = model.call(batch.Input);
            return new StepOutput(loss?.Invoke(output, batch.Target)) { Output = output };
        };
    }
}
