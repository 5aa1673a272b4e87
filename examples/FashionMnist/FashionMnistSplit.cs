using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>
/// One split of Fashion-MNIST (training or test): images and labels as tensors, and a fingerprint of
/// the files they came from. Owns its tensors; disposing the split disposes them.
/// </summary>
public sealed class FashionMnistSplit : IDisposable
{
    internal FashionMnistSplit(string name, Tensor images, Tensor labels, string fingerprint, IReadOnlyList<string> files)
    {
        Name = name;
        Images = images;
        Labels = labels;
        Fingerprint = fingerprint;
        Files = files;
    }

    /// <summary>The split's name: <c>train</c> or <c>test</c>.</summary>
    public string Name { get; }

    /// <summary>The images, float32 [N, 784], pixels scaled to [0, 1] (or standardised when asked for).</summary>
    public Tensor Images { get; }

    /// <summary>The labels, int64 [N], class indices 0..9 (see <see cref="FashionMnistData.ClassNames"/>).</summary>
    public Tensor Labels { get; }

    /// <summary>The number of samples N.</summary>
    public long Count => Labels.shape[0];

    /// <summary>
    /// The SHA-256 (lower-case hex) of the split's files as stored, the images file then the labels
    /// file: the same as <c>cat images labels | sha256sum</c>.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>The files read: images, then labels.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
