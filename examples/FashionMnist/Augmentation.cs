using TorchSharp;
using static TorchSharp.torch;

namespace FashionMnist;

/// <summary>
/// Standard augmentation for small grey images, applied to a training batch on its device: every image
/// is shifted by up to <see cref="Shift"/> pixels in each direction (zeros come in at the border, as a
/// random crop of the image padded by that much) and mirrored left to right with probability 1/2. Drawn
/// from TorchSharp's generator, whose state the checkpoints keep, so a resumed run draws the same.
/// </summary>
public static class Augmentation
{
    /// <summary>The largest shift, in pixels.</summary>
    public const int Shift = 2;

    /// <summary>Augments a batch of flattened 28x28 images, [N, 784] -> [N, 784].</summary>
    /// <param name="images">The batch.</param>
    /// <returns>The augmented batch, on the same device.</returns>
    public static Tensor Apply(Tensor images)
    {
        var n = images.shape[0];
        var side = FashionMnistData.ImageSide;
        var x = images.reshape(n, 1, side, side);
        var mirrored = rand(n, device: images.device).lt(0.5).reshape(n, 1, 1, 1);
        x = where(mirrored, x.flip(3), x);

        // Whole-pixel shifts through one affine grid per image: a translation of k pixels is 2k/side in
        // grid units; nearest sampling keeps the pixels' values.
        var shifts = randint(-Shift, Shift + 1, [n, 2], device: images.device).to(float32) * (2.0f / side);
        var theta = zeros([n, 2, 3], device: images.device);
        theta[.., 0, 0] = tensor(1f);
        theta[.., 1, 1] = tensor(1f);
        theta[.., .., 2] = shifts;
        var grid = nn.functional.affine_grid(theta, [n, 1, side, side], align_corners: false);
        var shifted = nn.functional.grid_sample(x, grid, mode: GridSampleMode.Nearest, padding_mode: GridSamplePaddingMode.Zeros, align_corners: false);
        return shifted.reshape(n, side * side);
    }
}
