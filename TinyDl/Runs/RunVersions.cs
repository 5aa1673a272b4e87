using System.Reflection;
using System.Runtime.InteropServices;

namespace TinyDl.Runs;

/// <summary>The versions of the software that ran a run.</summary>
/// <param name="TinyDl">TinyDl's informational version (with the commit, when the build knew it).</param>
/// <param name="TorchSharp">The TorchSharp assembly's version.</param>
/// <param name="DotNet">The runtime, such as <c>.NET 10.0.0</c>.</param>
public sealed record RunVersions(string TinyDl, string TorchSharp, string DotNet)
{
    /// <summary>The versions in this process.</summary>
    public static RunVersions Current { get; } = new(
        VersionOf(typeof(Runner).Assembly),
        VersionOf(typeof(TorchSharp.torch).Assembly),
        RuntimeInformation.FrameworkDescription);

    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString()
        ?? "unknown";
}
