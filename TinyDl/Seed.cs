using static TorchSharp.torch;

namespace TinyDl;

/// <summary>Seeds the random number generators a run uses, so the same seed gives the same run.</summary>
public static class Seed
{
    /// <summary>
    /// Seeds TorchSharp's generators (CPU and every CUDA device). On the CPU the same seed then gives
    /// the same run bit for bit, provided the data order is seeded too (as <see cref="TensorBatches"/> is).
    /// </summary>
    /// <param name="seed">The seed.</param>
    public static void Everything(long seed)
    {
        manual_seed(seed);
        if (cuda.is_available())
        {
            cuda.manual_seed_all(seed);
        }
    }
}
