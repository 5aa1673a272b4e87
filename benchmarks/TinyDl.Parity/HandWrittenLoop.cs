using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Parity;

/// <summary>
/// The physical limit: the same training written by hand in TorchSharp, as a careful user would:
/// one dispose scope per epoch, DisposeEverything per batch, loss and accuracy accumulated on the
/// device and read once per epoch.
/// </summary>
internal static class HandWrittenLoop
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
            var watch = Stopwatch.StartNew();
            var (trainLoss, trainAccuracy) = Epoch(model, train, criterion, optimizer);
            var (validationLoss, validationAccuracy) = Epoch(model, test, criterion, null);
            watch.Stop();
            yield return Measure.Sample(epoch, watch.Elapsed.TotalSeconds, trainLoss, trainAccuracy, validationLoss, validationAccuracy);
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
