using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Parity.Independent;

/// <summary>
/// Classification training written against TorchSharp only, as its docs and examples show it
/// (docfx/articles/memory.md, src/Examples/MNIST.cs): a fresh random order per epoch (<c>randperm</c>),
/// a batch as <c>index_select</c> of that order's slice, a dispose scope per batch, <c>model.forward</c>,
/// the loss sum and the correct count accumulated on the device and read once per epoch.
/// </summary>
public sealed class IndependentTraining : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly optim.Optimizer _optimizer;
    private readonly nn.Module<Tensor, Tensor, Tensor> _criterion = nn.CrossEntropyLoss();
    private readonly Generator _generator;

    /// <summary>Trains <paramref name="model"/> with Adam at <paramref name="learningRate"/>; the batch orders come from <paramref name="seed"/>.</summary>
    public IndependentTraining(nn.Module<Tensor, Tensor> model, double learningRate, long seed)
    {
        _model = model;
        _optimizer = optim.Adam(model.parameters(), learningRate);
        _generator = new Generator(unchecked((ulong)seed));
    }

    /// <summary>The optimizer, for saving its state.</summary>
    public optim.Optimizer Optimizer => _optimizer;

    /// <summary>One training epoch over the samples in a fresh random order.</summary>
    public EpochResult Train(Tensor inputs, Tensor targets, int batchSize)
    {
        _model.train();
        var n = inputs.size(0);
        using var order = randperm(n, generator: _generator);
        using var lossSum = zeros(1, float64);
        using var correct = zeros(1, int64);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var indices = order.narrow(0, start, Math.Min(batchSize, n - start));
            var x = inputs.index_select(0, indices);
            var y = targets.index_select(0, indices);

            _optimizer.zero_grad();
            var output = _model.forward(x);
            var loss = _criterion.forward(output, y);
            loss.backward();
            _optimizer.step();

            using (no_grad())
            {
                lossSum.add_(loss, x.size(0));
                correct.add_(output.argmax(1).eq(y).sum());
            }
        }

        return new EpochResult(lossSum.item<double>() / n, correct.item<long>() / (double)n);
    }

    /// <summary>One pass in order, in evaluation mode and without gradients.</summary>
    public EpochResult Evaluate(Tensor inputs, Tensor targets, int batchSize)
    {
        _model.eval();
        var n = inputs.size(0);
        using var noGrad = no_grad();
        using var lossSum = zeros(1, float64);
        using var correct = zeros(1, int64);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batchSize, n - start);
            var x = inputs.narrow(0, start, length);
            var y = targets.narrow(0, start, length);
            var output = _model.forward(x);
            var loss = _criterion.forward(output, y);
            lossSum.add_(loss, length);
            correct.add_(output.argmax(1).eq(y).sum());
        }

        return new EpochResult(lossSum.item<double>() / n, correct.item<long>() / (double)n);
    }

    /// <summary>Releases the generator and the loss module.</summary>
    public void Dispose()
    {
        _generator.Dispose();
        _criterion.Dispose();
    }
}
