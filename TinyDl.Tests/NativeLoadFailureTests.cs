using TinyDl.Internal;

namespace TinyDl.Tests;

public sealed class NativeLoadFailureTests
{
    // The shape of .NET's DllNotFoundException message on Linux, with glibc's lines (dl-version.c:
    // "version `%s' not found (required by %s)", after the providing object's name), as seen on Debian 12.
    private const string Loader = """
        Unable to load shared library 'LibTorchSharp' or one of its dependencies. In order to help diagnose loading problems, consider using a tool like strace. If you're using glibc, consider setting the LD_DEBUG environment variable: 
        /app/runtimes/linux-x64/native/LibTorchSharp.so: cannot open shared object file: No such file or directory
        /lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by /app/runtimes/linux-x64/native/libLibTorchSharp.so)
        /app/libLibTorchSharp.so: cannot open shared object file: No such file or directory
        """;

    [Test]
    public void A_missing_GLIBCXX_3_4_32_is_explained_with_both_libraries_and_the_fix()
    {
        // Act
        var explanation = NativeLoadFailure.Explain(Loader);

        // Assert
        Assert.That(explanation, Is.EqualTo(
            "TorchSharp's native library /app/runtimes/linux-x64/native/libLibTorchSharp.so cannot be loaded: "
            + "/lib/x86_64-linux-gnu/libstdc++.so.6 on this system lacks the symbol version GLIBCXX_3.4.32 that it requires. "
            + "TorchSharp 0.107's shim needs it only for a symbol it never calls, and TinyDl's build marks that requirement weak "
            + "in the build output where the system lacks it; this copy was not patched (built with -p:TinyDlPatchNativeShim=false, "
            + "built on a system whose libstdc++ has the version, or built by a project that does not import TinyDl's build targets). "
            + "Fix: build or publish on this system from a project that references the TinyDl package (directly or through "
            + "TinyDl.Metrics or TinyDl.Reporters) or imports its buildTransitive/TinyDl.targets, without "
            + "-p:TinyDlPatchNativeShim=false; or install a libstdc++ from GCC 13 or later. "
            + "See https://github.com/tinydl/TinyDl/blob/main/docs/native-loading.md."));
    }

    [Test]
    public void Another_missing_version_is_explained_without_the_patch_that_cannot_help()
    {
        // Arrange: a newer glibc that quotes 'like this'.
        const string loader = "/lib64/libc.so.6: version 'GLIBC_2.38' not found (required by /opt/lib/libLibTorchSharp.so)";

        // Act
        var explanation = NativeLoadFailure.Explain(loader);

        // Assert
        Assert.That(explanation, Does.StartWith(
            "TorchSharp's native library /opt/lib/libLibTorchSharp.so cannot be loaded: /lib64/libc.so.6 on this system lacks the symbol version GLIBC_2.38")
            .And.Contain("Install a newer libc.so.6").And.Not.Contain("TinyDlPatchNativeShim"));
    }

    [Test]
    public void A_library_that_is_not_there_is_left_to_TorchSharp()
    {
        // Arrange: no backend package, so libtorch itself is missing.
        const string loader = """
            Unable to load shared library 'LibTorchSharp' or one of its dependencies.
            /app/libLibTorchSharp.so: cannot open shared object file: No such file or directory
            libtorch.so: cannot open shared object file: No such file or directory
            """;

        // Act and assert
        Assert.That(NativeLoadFailure.Explain(loader), Is.Null);
    }
}
