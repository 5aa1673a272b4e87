using System.Text.Json;
using TinyDl.Parity;

// Parity benchmark: TinyDl's Runner (loss and accuracy on both stages, all reporters attached)
// against an independent TorchSharp loop that shares no code with TinyDl (TinyDl.Parity.Independent),
// and against a hand loop over TinyDl's own TensorBatches. Usage:
//   dotnet run -c Release --project benchmarks/TinyDl.Parity -- --mode epochs|memory|process|working-set|participants
//       [--workload all|fashion|synthetic] [--epochs 17] [--warmup 2] [--repeats 2] [--data DIR]
//       [--process-epochs 3,5] [--no-reporters]
// epochs: the three contenders take turns epoch by epoch in one child process per repeat (so drift of
//   the machine's speed hits them alike), with per-epoch counters (tensors, allocations, GCs, CPU).
// memory: each contender alone in its process, working set after every epoch.
// process: the Fashion-MNIST example's real program against the independent contender's program,
//   start to exit, interleaved, wall time and peak RSS from /usr/bin/time.
// working-set: both programs for --epochs epochs, plain `dotnet`, resident set after every epoch.
// participants: what each of the example's participants adds to an epoch (--epochs per run, --repeats turns, at least 5).
var options = ParityOptions.Parse(args);
if (options.Child is { } contender)
{
    foreach (var report in Contenders.RunChild(contender, options))
    {
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(report, ChildProcess.Json));
    }

    return 0;
}

var workloads = options.Workload == "all" ? new[] { "fashion", "synthetic" } : new[] { options.Workload };
switch (options.Mode)
{
    case "epochs":
        var timings = new List<ContenderReport>();
        foreach (var name in workloads)
        {
            for (var repeat = 0; repeat < options.Repeats; repeat++)
            {
                Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: independent, hand over TensorBatches and TinyDl interleaved (repeat {repeat + 1}/{options.Repeats})");
                timings.AddRange(ChildProcess.Run(options.ChildArguments("interleaved", name)));
            }
        }

        Console.WriteLine(ParityTable.Render(timings, options.Warmup));
        break;
    case "memory":
        var memory = new List<ContenderReport>();
        foreach (var name in workloads)
        {
            foreach (var who in new[] { "independent", "tinydl" })
            {
                Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {who} alone, for memory");
                memory.AddRange(ChildProcess.Run(options.ChildArguments(who, name)));
            }
        }

        Console.WriteLine(ParityTable.RenderMemory(memory));
        break;
    case "process":
        Console.WriteLine(WholeProcess.Run(options));
        break;
    case "participants":
        Console.WriteLine(ParticipantCost.Run(Math.Max(options.Repeats, 5), options.Epochs));
        break;
    default:
        Console.WriteLine(WholeProcess.WorkingSet(options));
        break;
}

return 0;
