using System.Globalization;

namespace TinyDl.Parity;

/// <summary>The benchmark's command line.</summary>
internal sealed record ParityOptions(string Mode, string Workload, int Epochs, int Warmup, int Repeats, string DataDirectory, bool Reporters, string? Child)
{
    /// <summary>The epoch counts of the whole-process mode.</summary>
    public IReadOnlyList<int> ProcessEpochs { get; init; } = [3, 5];

    public static ParityOptions Parse(string[] args)
    {
        var options = new ParityOptions("epochs", "all", 17, 2, 2, "/usr/share/datasets/fashion-mnist", true, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Number() => int.Parse(Value(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--mode" => options with { Mode = Value() },
                "--workload" => options with { Workload = Value() },
                "--epochs" => options with { Epochs = Number() },
                "--warmup" => options with { Warmup = Number() },
                "--repeats" => options with { Repeats = Number() },
                "--data" => options with { DataDirectory = Value() },
                "--no-reporters" => options with { Reporters = false },
                "--child" => options with { Child = Value() },
                "--process-epochs" => options with { ProcessEpochs = [.. Value().Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture))] },
                _ => throw new ArgumentException($"Unknown option {args[i]}."),
            };
        }

        if (options.Mode is not ("epochs" or "memory" or "process" or "working-set" or "participants"))
        {
            throw new ArgumentException($"--mode must be epochs, memory, process, working-set or participants, not {options.Mode}.");
        }

        if (options.Workload is not ("all" or "fashion" or "synthetic"))
        {
            throw new ArgumentException($"--workload must be all, fashion or synthetic, not {options.Workload}.");
        }

        return options.Warmup >= options.Epochs
            ? throw new ArgumentException("--warmup must be smaller than --epochs.")
            : options;
    }

    public IEnumerable<string> ChildArguments(string contender, string workload)
    {
        string[] arguments = ["--child", contender, "--workload", workload, "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), "--warmup", "0", "--data", DataDirectory];
        return Reporters ? arguments : [.. arguments, "--no-reporters"];
    }
}
