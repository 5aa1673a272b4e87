using static TorchSharp.torch;

namespace Regression;

/// <summary>
/// The example's data, made in memory from a seed: x uniform in [0, 4) and y = f(x) + noise with
/// f(x) = 5 + 2 sin(1.5 x) + 0.5 x and a noise whose standard deviation 0.1 + 0.15 x grows with x
/// (heteroscedastic), so a model that predicts its own variance has something to learn.
/// </summary>
internal static class SyntheticData
{
    /// <summary>The noiseless function the model should learn.</summary>
    public static double Function(double x) => 5 + (2 * Math.Sin(1.5 * x)) + (0.5 * x);

    /// <summary>The standard deviation of the noise at <paramref name="x"/>.</summary>
    public static double NoiseScale(double x) => 0.1 + (0.15 * x);

    /// <summary>Draws <paramref name="samples"/> samples as named tensors: <c>features</c> [N, 1] and <c>target</c> [N], float32.</summary>
    public static Dictionary<string, Tensor> Generate(int samples, int seed)
    {
        var random = new Random(seed);
        var x = new float[samples];
        var y = new float[samples];
        for (var i = 0; i < samples; i++)
        {
            x[i] = (float)(4 * random.NextDouble());
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[i] = (float)(Function(x[i]) + (NoiseScale(x[i]) * gaussian));
        }

        return new() { ["features"] = tensor(x).reshape(samples, 1), ["target"] = tensor(y) };
    }
}
