using System.Runtime.InteropServices;
using TinyDl.Internal;

namespace TinyDl;

/// <summary>
/// Loads TorchSharp's native library ahead of TorchSharp and, when the system refuses it, says why and
/// what to do.
/// </summary>
/// <remarks>
/// TorchSharp loads its native shim (<c>libLibTorchSharp.so</c>) the first time one of its types is
/// used. When the dynamic loader refuses the shim because the system's libstdc++ lacks a symbol
/// version it needs (TorchSharp 0.107 on Debian 12 or Ubuntu 22.04 when TinyDl's build targets did
/// not patch the shim), TorchSharp reports that the application "doesn't contain a reference to
/// libtorch-cpu-linux-x64", although it does. <see cref="EnsureLoaded"/> asks the loader first and
/// turns that refusal into an exception that names the missing version and the fix.
/// <see cref="Seed.Everything"/> calls it; a program whose first statement already uses TorchSharp
/// (a tensor, a model) should call it before that. Only Linux is checked; elsewhere it returns at once.
/// </remarks>
public static class NativeLibraries
{
    private static readonly Lazy<DllNotFoundException?> Failure = new(FindFailure);

    /// <summary>
    /// Loads TorchSharp's native shim once per process; later calls return at once, or throw the same
    /// diagnosis again. Failures other than a missing symbol version (no TorchSharp backend package,
    /// for instance) are left to TorchSharp, whose own message is right about them.
    /// </summary>
    /// <exception cref="DllNotFoundException">
    /// The dynamic loader refused the shim because a library it needs lacks a symbol version. The
    /// message names the version, both libraries and the fix; the inner exception has the loader's text.
    /// </exception>
    public static void EnsureLoaded()
    {
        if (Failure.Value is { } failure)
        {
            throw new DllNotFoundException(failure.Message, failure.InnerException);
        }
    }

    private static DllNotFoundException? FindFailure()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            // The same look-up TorchSharp makes (by name, beside its assembly, through the
            // application's native search directories); a library once loaded stays loaded for it.
            NativeLibrary.Load("LibTorchSharp", typeof(TorchSharp.torch).Assembly, null);
            return null;
        }
        catch (DllNotFoundException loader)
        {
            return NativeLoadFailure.Explain(loader.Message) is { } message ? new DllNotFoundException(message, loader) : null;
        }
    }
}
