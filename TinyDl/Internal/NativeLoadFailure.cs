using System.Text.RegularExpressions;

namespace TinyDl.Internal;

/// <summary>Reads the dynamic loader's refusal of a native library and says what it means.</summary>
internal static partial class NativeLoadFailure
{
    /// <summary>The version TinyDl's build targets mark weak (build/NativeLoading.targets).</summary>
    public const string PatchedVersion = "GLIBCXX_3.4.32";

    /// <summary>Where the native-loading fix is explained.</summary>
    public const string Documentation = "https://github.com/tinydl/TinyDl/blob/main/docs/native-loading.md";

    /// <summary>
    /// Explains a loader message when it says that a library lacks a symbol version, as glibc's
    /// loader writes it: <c>PROVIDER: version `VERSION' not found (required by LIBRARY)</c>.
    /// </summary>
    /// <returns>The explanation, or null when the message says something else (a missing file, for instance).</returns>
    public static string? Explain(string loaderMessage)
    {
        var match = MissingVersion().Match(loaderMessage);
        if (!match.Success)
        {
            return null;
        }

        var provider = match.Groups["provider"].Value.Trim();
        var version = match.Groups["version"].Value;
        var library = match.Groups["library"].Value;
        var problem = $"TorchSharp's native library {library} cannot be loaded: {provider} on this system lacks the symbol version {version} that it requires";
        if (version == PatchedVersion)
        {
            return problem + ". TorchSharp 0.107's shim needs it only for a symbol it never calls, and TinyDl's build marks that "
                + "requirement weak in the build output where the system lacks it; this copy was not patched (built with "
                + "-p:TinyDlPatchNativeShim=false, built on a system whose libstdc++ has the version, or built by a project "
                + "that does not import TinyDl's build targets). Fix: build or publish on this system from a project that "
                + "references the TinyDl package (directly or through TinyDl.Metrics or TinyDl.Reporters) or imports its "
                + "buildTransitive/TinyDl.targets, without -p:TinyDlPatchNativeShim=false; or install a libstdc++ from "
                + $"GCC 13 or later. See {Documentation}.";
        }

        return problem + $". Install a newer {Path.GetFileName(provider)} (from a newer compiler or C library), or use a "
            + $"TorchSharp release built for this system. See {Documentation}.";
    }

    // glibc quotes the version `like this'; newer messages may quote it 'like this'.
    [GeneratedRegex(@"^(?<provider>[^\r\n]+?): version [`'](?<version>[^'`\r\n]+)' not found \(required by (?<library>[^)\r\n]+)\)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex MissingVersion();
}
