using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>The example's two models, chosen with <c>--model</c>; both take [N, 784] images and return [N, 10] logits.</summary>
public static class FashionMnistModel
{
    /// <summary>The multilayer perceptron: 784-hidden-10 with ReLU.</summary>
    public const string Mlp = "mlp";

    /// <summary>The small convolutional network: two 3x3 convolutions with ReLU and 2x2 max pooling, then a dense layer of hidden units.</summary>
    public const string Cnn = "cnn";

    /// <summary>The model kinds in the order <c>--help</c> lists them; the first is the default.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [Mlp, Cnn];

    /// <summary>Creates a model on the CPU, initialised from TorchSharp's current random state.</summary>
    /// <param name="kind"><see cref="Mlp"/> or <see cref="Cnn"/>.</param>
    /// <param name="hidden">The width of the dense hidden layer: the MLP's only hidden layer, or the CNN's layer between the convolutions and the output.</param>
    /// <returns>The model.</returns>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is not one of <see cref="Kinds"/>.</exception>
    public static nn.Module<Tensor, Tensor> Create(string kind, int hidden)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hidden);
        var classes = FashionMnistData.ClassNames.Count;
        return kind switch
        {
            Mlp => nn.Sequential(
                ("hidden", nn.Linear(FashionMnistData.Pixels, hidden)),
                ("relu", nn.ReLU()),
                ("output", nn.Linear(hidden, classes))),

            // The data holds flattened images, so the CNN first restores [N, 1, 28, 28]. Each block halves
            // the side: 28 -> 14 -> 7, so 64 channels of 7x7 reach the dense layer.
            Cnn => nn.Sequential(
                ("image", nn.Unflatten(1, [1, FashionMnistData.ImageSide, FashionMnistData.ImageSide])),
                ("conv1", nn.Conv2d(1, 32, 3, padding: 1)),
                ("relu1", nn.ReLU()),
                ("pool1", nn.MaxPool2d(2)),
                ("conv2", nn.Conv2d(32, 64, 3, padding: 1)),
                ("relu2", nn.ReLU()),
                ("pool2", nn.MaxPool2d(2)),
                ("flatten", nn.Flatten()),
                ("hidden", nn.Linear(64 * 7 * 7, hidden)),
                ("relu3", nn.ReLU()),
                ("output", nn.Linear(hidden, classes))),
            _ => throw new ArgumentException($"Unknown model '{kind}'; the models are {string.Join(", ", Kinds)}.", nameof(kind)),
        };
    }
}
