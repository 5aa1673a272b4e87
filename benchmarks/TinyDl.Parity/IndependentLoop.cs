using TinyDl.Parity.Independent;

namespace TinyDl.Parity;

/// <summary>
/// The independent contender on a workload's tensors: <see cref="IndependentTraining"/>, which is
/// written against TorchSharp alone (its project does not reference TinyDl) and does its own
/// shuffling, batching and metric accumulation.
/// </summary>
internal static class IndependentLoop
{
    public static IEnumerable<EpochSample> Run(Workload workload, int epochs)
    {
        var model = workload.CreateModel();
        using var training = new IndependentTraining(model, workload.LearningRate, Workload.Seed);
        for (var epoch = 1; epoch <= epochs; epoch++)
        {
            var start = Measure.Start();
            var train = training.Train(workload.TrainInputs, workload.TrainTargets, workload.BatchSize);
            var validation = training.Evaluate(workload.TestInputs, workload.TestTargets, workload.TestBatchSize);
            yield return Measure.Sample(start, epoch, train.Loss, train.Accuracy, validation.Loss, validation.Accuracy);
        }
    }
}
