using TorchSharp;
using static TorchSharp.torch;

namespace Gan;

/// <summary>
/// The generator and the discriminator in one module, so the trainer puts both in train mode and the
/// checkpoints hold both (parameters named <c>generator.*</c> and <c>discriminator.*</c>).
/// </summary>
internal sealed class GanModel : nn.Module
{
    /// <summary>The size of the generator's noise input.</summary>
    public const int LatentSize = 8;

    /// <summary>Creates both networks: two hidden layers of <paramref name="hidden"/> units each.</summary>
    public GanModel(int hidden = 128)
        : base(nameof(GanModel))
    {
        Generator = nn.Sequential(
            ("hidden1", nn.Linear(LatentSize, hidden)),
            ("relu1", nn.ReLU()),
            ("hidden2", nn.Linear(hidden, hidden)),
            ("relu2", nn.ReLU()),
            ("output", nn.Linear(hidden, RingData.Dimensions)));
        Discriminator = nn.Sequential(
            ("hidden1", nn.Linear(RingData.Dimensions, hidden)),
            ("relu1", nn.LeakyReLU(0.2)),
            ("hidden2", nn.Linear(hidden, hidden)),
            ("relu2", nn.LeakyReLU(0.2)),
            ("output", nn.Linear(hidden, 1)));
        register_module("generator", Generator);
        register_module("discriminator", Discriminator);
    }

    /// <summary>Maps noise [N, <see cref="LatentSize"/>] to points [N, 2].</summary>
    public nn.Module<Tensor, Tensor> Generator { get; }

    /// <summary>Maps points [N, 2] to one logit each, [N, 1]: high for real points.</summary>
    public nn.Module<Tensor, Tensor> Discriminator { get; }
}
