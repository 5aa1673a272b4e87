using System.Diagnostics;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Examples;

/// <summary>
/// The Fashion-MNIST example with TorchSharp's native shim as NuGet ships it, not patched by TinyDl's
/// build: on a system whose libstdc++ lacks GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04) the user must get
/// TinyDl's one-line diagnosis, not TorchSharp's trace that says the backend package is missing.
/// </summary>
[NonParallelizable]
public sealed class FashionMnistNativeLoadingTests : TemporaryDirectoryTests
{
    [Test]
    public void An_unpatched_native_shim_is_explained_in_one_line_before_the_data_becomes_tensors()
    {
        // Arrange: the example's build output copied (the host resolves a linked app to its real directory),
        // libtorch's large libraries linked, and the shim replaced by NuGet's copy.
        Assume.That(File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6") && !File.ReadAllText("/usr/lib/x86_64-linux-gnu/libstdc++.so.6").Contains("GLIBCXX_3.4.32", StringComparison.Ordinal), "Needs a system libstdc++ without GLIBCXX_3.4.32, where the unpatched shim cannot load.");
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } root ? root : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var shipped = Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.That(shipped, Does.Exist, "TorchSharp's package in the NuGet cache");
        var app = Path.Combine(TestDirectory, "app");
        Mirror(AppContext.BaseDirectory, app, shipped);

        // Act
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(app, "FashionMnist.dll"), "--epochs", "1", "--out", Path.Combine(TestDirectory, "runs")])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(process.ExitCode, Is.Not.Zero);
            Assert.That(output, Is.Empty);
            Assert.That(error.Result.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error.Result);
            Assert.That(error.Result, Does.StartWith("error: TorchSharp's native library ").And.Contain("GLIBCXX_3.4.32").And.Contain("-p:TinyDlPatchNativeShim=false"));
            Assert.That(error.Result, Does.Not.Contain("doesn't contain a reference").And.Not.Contain("DllNotFoundException"));
            Assert.That(Directory.Exists(Path.Combine(TestDirectory, "runs")), Is.False, "no run directory before the library loads");
        });
    }

    /// <summary>Copies a directory tree, linking native libraries (large) and putting <paramref name="shim"/> in place of the shim.</summary>
    private static void Mirror(string from, string to, string shim)
    {
        Directory.CreateDirectory(to);
        foreach (var directory in Directory.EnumerateDirectories(from))
        {
            Mirror(directory, Path.Combine(to, Path.GetFileName(directory)), shim);
        }

        foreach (var file in Directory.EnumerateFiles(from))
        {
            var name = Path.GetFileName(file);
            var target = Path.Combine(to, name);
            if (name == "libLibTorchSharp.so")
            {
                File.Copy(shim, target);
            }
            else if (name.Contains(".so", StringComparison.Ordinal) || name.EndsWith(".dylib", StringComparison.Ordinal))
            {
                File.CreateSymbolicLink(target, file);
            }
            else
            {
                File.Copy(file, target);
            }
        }
    }
}
