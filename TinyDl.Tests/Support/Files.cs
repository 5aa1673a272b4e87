using System.Security.Cryptography;

namespace TinyDl.Tests.Support;

/// <summary>What a directory holds, to compare before and after.</summary>
internal static class Files
{
    /// <summary>The SHA-256 of every file under <paramref name="directory"/> by relative path ('/' separated), the lock files left out.</summary>
    public static Dictionary<string, string> Checksums(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) is not ("run.lock" or "run.owner.json"))
                .ToDictionary(f => Path.GetRelativePath(directory, f).Replace('\\', '/'), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
