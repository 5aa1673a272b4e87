using static TorchSharp.torch;

namespace TinyDl;

/// <summary>Where to train.</summary>
public static class Devices
{
    /// <summary>The device to use when none is given: the first CUDA device when there is one, else the CPU.</summary>
    public static Device Default => cuda.is_available() ? CUDA : CPU;
}
