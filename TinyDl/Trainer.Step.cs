using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <content>One training batch: the step, the non-finite loss policy, backward, accumulation and clipping.</content>
public sealed partial class Trainer
{
    private StepOutput? Step(Batch batch)
    {
        _batch++;
        if (ManualOptimization)
        {
            var manual = _step(batch) ?? throw NoOutput();
            GlobalStep++;
            if (manual.Loss is { } manualLoss && NonFiniteLoss == NonFiniteLoss.Fail)
            {
                CheckFinite(manualLoss);
            }

            return manual;
        }

        if (_accumulated == 0)
        {
            foreach (var optimizer in _optimizers)
            {
                optimizer.zero_grad();
            }
        }

        var result = _step(batch) ?? throw NoOutput();
        var loss = result.Loss ?? throw new InvalidOperationException(
            $"The training step returned no loss at epoch {_epoch}, batch {_batch}; return StepOutput(loss), or set Trainer.ManualOptimization and update the parameters in the step.");
        if (NonFiniteLoss == NonFiniteLoss.Skip && !HostTransfers.IsFinite(loss))
        {
            SkippedBatches++;
            return null;
        }

        if (NonFiniteLoss == NonFiniteLoss.Fail)
        {
            CheckFinite(loss);
        }

        try
        {
            if (AccumulationSteps == 1)
            {
                loss.backward();
            }
            else
            {
                using var scaled = loss / AccumulationSteps;
                scaled.backward();
            }
        }
        catch (System.Runtime.InteropServices.ExternalException error) when (!loss.requires_grad)
        {
            // Checked only when backward failed, so the usual batch pays nothing for the clearer message.
            throw new InvalidOperationException(
                $"The training loss at epoch {_epoch}, batch {_batch} does not require gradients (was it detached or computed under no_grad?), so the trainer cannot call backward on it.", error);
        }

        if (++_accumulated == AccumulationSteps)
        {
            ApplyStep();
        }

        GlobalStep++;
        return result;
    }

    private void CheckFinite(Tensor loss)
    {
        if (HostTransfers.IsFinite(loss))
        {
            return;
        }

        var value = loss.numel() == 1 ? HostTransfers.ToDouble(loss) : double.NaN;
        var step = ManualOptimization ? GlobalStep : GlobalStep + 1;
        var when = ManualOptimization ? "after the step's own update" : "before this batch changed the weights";
        throw new NonFiniteValueException(
            $"The training loss is {value} at epoch {_epoch}, batch {_batch} (global step {step}); the run was stopped {when}. Lower the learning rate, clip gradients or check the data of that batch; Trainer.NonFiniteLoss = Skip skips such batches instead.",
            Stage.Train, _epoch, _batch, step, value);
    }

    private InvalidOperationException NoOutput() => new($"The training step returned null at epoch {_epoch}, batch {_batch}; return a StepOutput.");

    private void ApplyStep()
    {
        if (ClipGradientValue is { } value)
        {
            nn.utils.clip_grad_value_(Model.parameters(), value);
        }

        if (ClipGradientNorm is { } norm)
        {
            nn.utils.clip_grad_norm_(Model.parameters(), norm);
        }

        foreach (var optimizer in _optimizers)
        {
            optimizer.step();
        }

        _accumulated = 0;
    }
}
