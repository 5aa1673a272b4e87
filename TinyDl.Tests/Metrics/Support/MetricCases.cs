using TinyDl.Metrics;
using static TinyDl.Tests.Metrics.Support.MetricData;
using static TorchSharp.torch;

namespace TinyDl.Tests.Metrics.Support;

/// <summary>Every metric with data it accepts: a fresh metric, an output and a target per case.</summary>
internal static class MetricCases
{
    public static IEnumerable<(Metric Metric, Tensor Output, Tensor Target)> All(int samples)
    {
        const int classes = 3;
        var logits = Normal(samples * classes, seed: 71);
        var labels = Labels(samples, classes, seed: 72);
        var scores = Normal(samples, seed: 73).Select(s => MathF.Round(s, 1)).ToArray();
        var binary = Labels(samples, 2, seed: 74);
        var truth = Normal(samples * 2, seed: 75);
        var predicted = truth.Zip(Normal(samples * 2, seed: 76), (t, n) => t + n).ToArray();

        Metric[] multiClass =
        [
            new Accuracy(), new TopKAccuracy(2), new Precision(classes), new Recall(classes, Average.Micro),
            new F1Score(classes, Average.Weighted), new ConfusionMatrix(classes), new CrossEntropy([1, 2, 0.5]),
            new RocAuc(classes) { Scores = ScoreKind.Logits }, new AveragePrecision(classes) { Scores = ScoreKind.Probabilities }, new Loss(), new Mean("square_sum", b => b.Output!.square().sum(1L)),
            new LambdaMetric("positive_fraction", b => (b.Output!.gt(0).sum(), b.Output.numel()), higherIsBetter: true),
        ];
        foreach (var metric in multiClass)
        {
            yield return (metric, Matrix(logits, classes), tensor(labels));
        }

        Metric[] binaryMetrics =
        [
            new Accuracy { Scores = ScoreKind.Logits }, new BinaryCrossEntropy { Scores = ScoreKind.Logits }, new RocAuc(), new AveragePrecision(),
            new F1Score(2, Average.Binary) { Scores = ScoreKind.Logits },
        ];
        foreach (var metric in binaryMetrics)
        {
            yield return (metric, tensor(scores), tensor(binary.Select(b => (float)b).ToArray()));
        }

        foreach (var metric in new Metric[] { new MeanSquaredError(), new RootMeanSquaredError(), new MeanAbsoluteError(), new R2Score() })
        {
            yield return (metric, Matrix(predicted, 2), Matrix(truth, 2));
        }
    }
}
