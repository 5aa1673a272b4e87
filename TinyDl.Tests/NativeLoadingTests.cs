using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests;

public sealed class NativeLoadingTests
{
    [Test]
    public void TorchSharp_loads_and_trains_a_linear_model()
    {
        // Arrange: y = 2x + 1 on 64 points.
        manual_seed(0);
        var x = linspace(-1, 1, 64).reshape(64, 1);
        var y = 2 * x + 1;
        var model = nn.Linear(1, 1);
        var optimizer = optim.SGD(model.parameters(), 0.5);

        // Act
        for (var step = 0; step < 200; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(model.weight!.item<float>(), Is.EqualTo(2f).Within(1e-3));
            Assert.That(model.bias!.item<float>(), Is.EqualTo(1f).Within(1e-3));
        });
    }

    [Test]
    [Platform("Linux")]
    public void The_native_shim_in_the_output_directory_loads_on_this_system()
    {
        // Arrange: TorchSharp 0.107 ships the shim for linux-x64 only; a build without it must fail here.
        var shim = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

        // Assert
        Assert.That(File.Exists(shim), Is.True, $"{shim} is missing from the test output.");
        Assert.That(() => System.Runtime.InteropServices.NativeLibrary.Load(shim), Throws.Nothing);
    }

    [Test]
    public void TinyDl_finds_nothing_to_explain_where_the_shim_loads()
    {
        Assert.That(NativeLibraries.EnsureLoaded, Throws.Nothing);
    }
}
