using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Parity;

/// <summary>
/// The training written by hand in TorchSharp over TinyDl's own <see cref="TensorBatches"/>: one
/// dispose scope per epoch, DisposeEverything per batch, loss and accuracy accumulated on the device
/// and read once per epoch. It shares TinyDl's batching, so it measures TinyDl's loop, events and
/// metrics only; <see cref="IndependentLoop"/> is the contender that shares nothing.
/// </summary>
internal static class HandLoopOverTensorBatches
{
    public static IEnumerable<EpochSample> Run(Workload workload, int epochs)
    {
        var model = workload.CreateModel();
        var optimizer = optim.Adam(model.parameters(), workload.LearningRate);
        var criterion = nn.CrossEntropyLoss();
        var train = workload.TrainBatches();
        var test = workload.TestBatches();

        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var start = Measure.Start();
            var (trainLoss, trainAccuracy) = Epoch(model, train, criterion, optimizer);
            var (validationLoss, validationAccuracy) = Epoch(model, test, criterion, null);
            yield return Measure.Sample(start, epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy);
        }
    }

    private static (double Loss, double Accuracy) Epoch(
        nn.Module<Tensor, Tensor> model, TensorBatches batches, nn.Module<Tensor, Tensor, Tensor> criterion, optim.Optimizer? optimizer)
    {
        model.train(optimizer is not null);
        using var sums = NewDisposeScope();
        var lossSum = zeros(1, float64);
        var correct = zeros(1, float64);
        long samples = 0;
        using (optimizer is null ? no_grad() : null)
        using (var scope = NewDisposeScope())
        {
            foreach (var (input, target) in batches)
            {
                optimizer?.zero_grad();
                var output = model.call(input);
                var loss = criterion.call(output, target);
                if (optimizer is not null)
                {
                    loss.backward();
                    optimizer.step();
                }

                var n = input.size(0);
                lossSum.add_(loss.detach().to_type(float64), n);
                correct.add_(output.argmax(1).eq(target).sum().to_type(float64));
                samples += n;
                scope.DisposeEverything();
            }
        }

        return (lossSum.item<double>() / samples, correct.item<double>() / samples);
    }
}
