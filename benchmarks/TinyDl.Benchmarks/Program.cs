using BenchmarkDotNet.Running;

namespace TinyDl.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line, e.g. <c>-- --filter '*Metrics*' --job short</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    /// <param name="args">BenchmarkDotNet arguments.</param>
    public static void Main(string[] args)
    {
        // In process: TorchSharp finds libtorch through this program's deps.json, which the project
        // BenchmarkDotNet generates for a separate process lacks ("doesn't contain a reference to libtorch").
        var inProcess = args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase) ? args : [.. args, "--inProcess"];
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(inProcess);
    }
}
