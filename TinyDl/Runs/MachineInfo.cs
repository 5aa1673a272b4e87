using System.Runtime.InteropServices;

namespace TinyDl.Runs;

/// <summary>The machine a run ran on.</summary>
/// <param name="Name">The machine's name (<see cref="Environment.MachineName"/>).</param>
/// <param name="Os">The operating system's description.</param>
/// <param name="Architecture">The process architecture, such as <c>X64</c>.</param>
/// <param name="ProcessorCount">The number of logical processors available to the process.</param>
public sealed record MachineInfo(string Name, string Os, string Architecture, int ProcessorCount)
{
    /// <summary>This machine.</summary>
    public static MachineInfo Current { get; } = new(
        Environment.MachineName,
        RuntimeInformation.OSDescription,
        RuntimeInformation.ProcessArchitecture.ToString(),
        Environment.ProcessorCount);
}
