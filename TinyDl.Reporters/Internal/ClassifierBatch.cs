using static TorchSharp.torch;

namespace TinyDl.Reporters.Internal;

/// <summary>A classification batch's log-probabilities [n, C] (log-softmax of the logits) and targets [n] (int64), both on the batch's device, in the caller's dispose scope.</summary>
internal static class ClassifierBatch
{
    public static (Tensor LogProbabilities, Tensor Targets)? Of(BatchCompleted e, int classes, string reporter)
    {
        if (e.Output is null || e.Target is null || e.Size == 0)
        {
            return null;
        }

        var n = e.Size;
        if (e.Output.dim() != 2 || e.Output.shape[0] != n || e.Output.shape[1] != classes)
        {
            throw new InvalidOperationException($"{reporter} needs the model's logits as [batch, {classes}]; the {e.Stage.ToName()} output is [{string.Join(", ", e.Output.shape)}].");
        }

        if (e.Target.numel() != n || e.Target.is_floating_point())
        {
            throw new InvalidOperationException($"{reporter} needs one class index per sample as the target; the {e.Stage.ToName()} target is {e.Target.dtype} [{string.Join(", ", e.Target.shape)}].");
        }

        return (nn.functional.log_softmax(e.Output.to(ScalarType.Float32), 1), e.Target.reshape(n).to(ScalarType.Int64));
    }
}
