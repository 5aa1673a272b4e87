using static TorchSharp.torch;

namespace Gan;

/// <summary>
/// The classic toy target of GANs: 8 Gaussians (modes) evenly spaced on a circle, generated in memory
/// from a seed. A generator that collapses onto a few modes shows at once in <see cref="ModesCovered"/>.
/// </summary>
internal static class RingData
{
    /// <summary>The points' dimensions.</summary>
    public const int Dimensions = 2;

    /// <summary>The number of modes.</summary>
    public const int Modes = 8;

    /// <summary>The radius of the circle the modes lie on.</summary>
    public const double Radius = 2.0;

    /// <summary>The standard deviation of each Gaussian.</summary>
    public const double Std = 0.05;

    /// <summary>How far from its mode a generated point may lie and still count as near it: 3 standard deviations.</summary>
    public const double NearDistance = 3 * Std;

    /// <summary>The centres of the modes, [8, 2].</summary>
    public static Tensor Centers()
    {
        var angles = arange(Modes, ScalarType.Float32) * (2 * Math.PI / Modes);
        return stack([cos(angles), sin(angles)], 1) * Radius;
    }

    /// <summary>
    /// Draws <paramref name="samples"/> points, each from a mode chosen uniformly: points [N, 2] (float32)
    /// and the index of each point's mode [N] (int64), the same for the same seed.
    /// </summary>
    public static (Tensor Points, Tensor Modes) Sample(int samples, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        using var generator = new Generator((ulong)seed);
        using var scope = NewDisposeScope();
        var modes = randint(0, Modes, [samples], generator: generator);
        var points = Centers().index_select(0, modes) + (randn([samples, Dimensions], generator: generator) * Std);
        return (points.MoveToOuterDisposeScope(), modes.MoveToOuterDisposeScope());
    }

    /// <summary>The noise the generator is evaluated on every epoch, [N, <see cref="GanModel.LatentSize"/>], the same for the same seed.</summary>
    public static Tensor Noise(int samples, long seed)
    {
        using var generator = new Generator((ulong)seed);
        return randn([samples, GanModel.LatentSize], generator: generator);
    }
}
