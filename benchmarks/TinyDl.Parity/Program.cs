using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TinyDl.Parity;

// Parity benchmark: TinyDl's Runner (metrics and all reporters attached) against the same training
// written by hand in TorchSharp. Each contender runs in its own child process (so peak memory is
// its own), alternating hand, TinyDl, TinyDl, hand, ... to cancel drift. Usage:
//   dotnet run -c Release --project benchmarks/TinyDl.Parity -- [--workload all|fashion|synthetic]
//       [--epochs 6] [--warmup 1] [--repeats 2] [--data DIR] [--no-reporters]
var options = ParityOptions.Parse(args);
if (options.Child is { } contender)
{
    var workload = Workloads.Create(options.Workload, options.DataDirectory);
    var epochs = contender == "hand"
        ? HandWrittenLoop.Run(workload, options.Epochs).ToList()
        : TinyDlLoop.Run(workload, options.Epochs, options.Reporters);
    using var process = Process.GetCurrentProcess();
    var report = new ContenderReport(contender, workload.Name, epochs, process.PeakWorkingSet64, epochs.Max(e => e.ManagedBytes));
    Console.WriteLine("RESULT " + JsonSerializer.Serialize(report));
    return 0;
}

var workloads = options.Workload == "all" ? new[] { "fashion", "synthetic" } : new[] { options.Workload };
var reports = new List<ContenderReport>();
foreach (var name in workloads)
{
    for (var repeat = 0; repeat < options.Repeats; repeat++)
    {
        var order = repeat % 2 == 0 ? new[] { "hand", "tinydl" } : new[] { "tinydl", "hand" };
        foreach (var who in order)
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {name}: {who} (repeat {repeat + 1}/{options.Repeats})");
            reports.Add(ChildProcess.Run(options.ChildArguments(who, name)));
        }
    }
}

Console.WriteLine(ParityTable.Render(reports, options.Warmup));
return 0;
