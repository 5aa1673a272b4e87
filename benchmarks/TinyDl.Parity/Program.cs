using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TinyDl.Parity;

// Parity benchmark: TinyDl's Runner (metrics and all reporters attached) against the same training
// written by hand in TorchSharp. Each contender runs in its own child process (so peak memory is
// its own). Usage:
//   dotnet run -c Release --project benchmarks/TinyDl.Parity -- [--workload all|fashion|synthetic]
//       [--epochs 7] [--warmup 2] [--repeats 2] [--data DIR]
// Times come from child processes in which the hand-written loop and TinyDl take turns epoch by
// epoch (with and without reporters); memory from one child process per contender.
var options = ParityOptions.Parse(args);
if (options.Child is { } contender)
{
    var workload = Workloads.Create(options.Workload, options.DataDirectory);
    if (contender.StartsWith("interleaved:", StringComparison.Ordinal))
    {
        // Timing: the hand-written loop and one TinyDl variant take turns epoch by epoch in this
        // process, so drift of the machine's speed hits both alike.
        var variant = contender["interleaved:".Length..];
        using var hand = HandWrittenLoop.Run(workload, options.Epochs).GetEnumerator();
        var handEpochs = new List<EpochSample>();
        var tiny = TinyDlLoop.Run(workload, options.Epochs, reporters: variant == "tinydl", beforeEachEpoch: () =>
        {
            hand.MoveNext();
            handEpochs.Add(hand.Current);
        });
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new ContenderReport($"hand|{variant}", workload.Name, handEpochs, 0, 0), ChildProcess.Json));
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(new ContenderReport(variant, workload.Name, tiny, 0, 0), ChildProcess.Json));
        return 0;
    }

    // Memory: each contender alone in its process.
    var epochs = contender switch
    {
        "hand" => HandWrittenLoop.Run(workload, options.Epochs).ToList(),
        "tinydl" => TinyDlLoop.Run(workload, options.Epochs, options.Reporters),
        "tinydl-no-reporters" => TinyDlLoop.Run(workload, options.Epochs, reporters: false),
        _ => throw new ArgumentException($"Unknown contender {contender}."),
    };
    using var process = Process.GetCurrentProcess();
    var report = new ContenderReport(contender, workload.Name, epochs, process.PeakWorkingSet64, epochs.Max(e => e.ManagedBytes));
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(report, ChildProcess.Json));
    return 0;
}

var workloads = options.Workload == "all" ? new[] { "fashion", "synthetic" } : new[] { options.Workload };
var timings = new List<ContenderReport>();
var memory = new List<ContenderReport>();
foreach (var name in workloads)
{
    for (var repeat = 0; repeat < options.Repeats; repeat++)
    {
        foreach (var variant in new[] { "tinydl", "tinydl-no-reporters" })
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: hand and {variant} interleaved (repeat {repeat + 1}/{options.Repeats})");
            timings.AddRange(ChildProcess.Run(options.ChildArguments("interleaved:" + variant, name)));
        }
    }

    foreach (var smallGen0 in new[] { false, true })
    {
        foreach (var who in new[] { "hand", "tinydl" })
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {who} alone, for memory{(smallGen0 ? ", gen0 4 MiB" : "")}");
            memory.AddRange(ChildProcess.Run(options.ChildArguments(who, name), smallGen0 ? "0x400000" : null)
                .Select(r => smallGen0 ? r with { Contender = r.Contender + ", gen0 4 MiB" } : r));
        }
    }
}

Console.WriteLine(ParityTable.Render(timings, memory, options.Warmup));
return 0;
