using TinyDl;
using static TorchSharp.torch;

namespace Gan;

/// <summary>
/// How many of the ring's modes the generator covers: a mode counts when at least
/// <see cref="MinShare"/> of the generated samples lie within <see cref="RingData.NearDistance"/> of it.
/// 8 is every mode; fewer means mode collapse, which the mean distance alone hides. Reads the step's
/// values <c>nearest_mode</c> (index per sample) and <c>near_mode</c> (1 when near, else 0), counts on
/// the device and copies the 8 counts to the host once per epoch.
/// </summary>
internal sealed class ModesCovered : Metric
{
    /// <summary>The share of samples a mode needs to count as covered: 2 %, a sixth of a fair share of 1/8.</summary>
    public const double MinShare = 0.02;

    private readonly DeviceSum _counts = new();
    private long _samples;

    public ModesCovered()
        : base("modes", higherIsBetter: true)
    {
    }

    public override void Reset()
    {
        _counts.Reset();
        _samples = 0;
    }

    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var nearest = nn.functional.one_hot(batch.Value("nearest_mode"), RingData.Modes).to_type(ScalarType.Float64);
        // dim: named, since a literal 0 would bind to sum(ScalarType) and sum everything as bytes.
        _counts.Add((nearest * batch.Value("near_mode").unsqueeze(1)).sum(dim: 0));
        _samples += batch.Size;
    }

    public override double Compute()
    {
        if (_samples == 0)
        {
            ThrowNoSamples();
        }

        return _counts.ToArray().Count(count => count >= MinShare * _samples);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _counts.Dispose();
        }

        base.Dispose(disposing);
    }
}
