using static TorchSharp.torch;

namespace TinyDl;

/// <summary>Seeds the random number generators a run uses, so the same seed gives the same run.</summary>
public static class Seed
{
    /// <summary>
    /// Seeds TorchSharp's generators (CPU and every CUDA device). The same seed then gives the same
    /// weights, the same data order (for <see cref="TensorBatches"/>, which is seeded itself) and the
    /// same dropout masks.
    /// </summary>
    /// <param name="seed">The seed.</param>
    /// <param name="deterministic">
    /// Also restrict libtorch to one CPU thread. Within one process the
    /// same seed already reproduces a run; across processes libtorch's multi-threaded CPU kernels (MKL,
    /// OpenMP) occasionally change the last bits of a result, so runs that must agree bit for bit (tests,
    /// audits) should ask for this. Slower on machines with several cores. Defaults to false.
    /// </param>
    /// <exception cref="DllNotFoundException">TorchSharp's native library cannot load on this system (see <see cref="NativeLibraries.EnsureLoaded"/>).</exception>
    public static void Everything(long seed, bool deterministic = false)
    {
        // Usually a program's first call into TorchSharp: the place to explain a native library that will not load.
        NativeLibraries.EnsureLoaded();
        if (deterministic)
        {
            set_num_threads(1);
        }

        manual_seed(seed);
        if (cuda.is_available())
        {
            cuda.manual_seed_all(seed);
        }
    }
}
