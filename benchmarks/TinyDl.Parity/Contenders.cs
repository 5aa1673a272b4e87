using System.Diagnostics;

namespace TinyDl.Parity;

/// <summary>What a child process runs: the contenders interleaved epoch by epoch, or one alone.</summary>
internal static class Contenders
{
    public static IEnumerable<ContenderReport> RunChild(string contender, ParityOptions options)
    {
        var workload = Workloads.Create(options.Workload, options.DataDirectory);
        var batches = workload.BatchesPerEpoch;
        if (contender == "interleaved")
        {
            // The independent loop and the hand loop run before each TinyDl epoch, in alternating
            // order, so drift of the machine's speed and cache effects hit all three alike.
            using var independent = IndependentLoop.Run(workload, options.Epochs).GetEnumerator();
            using var hand = HandLoopOverTensorBatches.Run(workload, options.Epochs).GetEnumerator();
            var independentEpochs = new List<EpochSample>();
            var handEpochs = new List<EpochSample>();
            var epoch = 0;
            var tiny = TinyDlLoop.Run(workload, options.Epochs, options.Reporters, beforeEachEpoch: () =>
            {
                if (epoch++ % 2 == 0)
                {
                    independent.MoveNext();
                    hand.MoveNext();
                }
                else
                {
                    hand.MoveNext();
                    independent.MoveNext();
                }

                independentEpochs.Add(independent.Current);
                handEpochs.Add(hand.Current);
            });
            return
            [
                new ContenderReport("independent", workload.Name, independentEpochs, 0, 0) { BatchesPerEpoch = batches },
                new ContenderReport("hand", workload.Name, handEpochs, 0, 0) { BatchesPerEpoch = batches },
                new ContenderReport(options.Reporters ? "tinydl" : "tinydl-no-reporters", workload.Name, tiny, 0, 0) { BatchesPerEpoch = batches },
            ];
        }

        var epochs = contender switch
        {
            "independent" => IndependentLoop.Run(workload, options.Epochs).ToList(),
            "hand" => HandLoopOverTensorBatches.Run(workload, options.Epochs).ToList(),
            "tinydl" => TinyDlLoop.Run(workload, options.Epochs, options.Reporters),
            _ => throw new ArgumentException($"Unknown contender {contender}."),
        };
        using var process = Process.GetCurrentProcess();
        return [new ContenderReport(contender, workload.Name, epochs, process.PeakWorkingSet64, epochs.Max(e => e.ManagedBytes)) { BatchesPerEpoch = batches }];
    }
}
