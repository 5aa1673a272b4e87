using System.Diagnostics;
using static TorchSharp.torch;

namespace TinyDl.Serving.Load;

/// <summary>The reference: the model called directly in process (eval, no_grad, a dispose scope per call), samples per second at a batch size.</summary>
internal static class Direct
{
    public static double SamplesPerSecond(nn.Module<Tensor, Tensor> model, float[] sample, int batch, TimeSpan warmUp, TimeSpan duration)
    {
        var data = Enumerable.Repeat(sample, batch).SelectMany(s => s).ToArray();
        Loop(model, data, batch, warmUp);
        var (calls, seconds) = Loop(model, data, batch, duration);
        return calls * batch / seconds;
    }

    private static (long Calls, double Seconds) Loop(nn.Module<Tensor, Tensor> model, float[] data, int batch, TimeSpan duration)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long calls = 0;
        using var noGrad = no_grad();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            using var scope = NewDisposeScope();
            var output = model.forward(tensor(data, [batch, data.Length / batch]));
            _ = output.data<float>().ToArray();
            calls++;
        }

        return (calls, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
