using FashionMnist;
using FashionMnist.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

/// <summary>The service's page in a real browser (Debian's Chromium through Playwright) on a real Kestrel server bound to 127.0.0.1.</summary>
[NonParallelizable]
public sealed class FashionMnistPageTests
{
    [Test]
    public async Task An_uploaded_test_image_shows_the_models_own_top_class_and_the_provenance()
    {
        // Arrange: the service on a free loopback port, a test-set image as a PNG file, the model's own answer.
        var run = TrainedRun.Directory;
        await using var app = FashionMnistService.Create(run, builder => builder.WebHost.UseUrls("http://127.0.0.1:0"));
        await app.StartAsync();
        const int image = 11;
        var png = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"fashion-mnist-test-{image}.png");
        await File.WriteAllBytesAsync(png, FashionMnistImages.Png(image));
        var expected = OwnPrediction(run, FashionMnistImages.Scaled(image));
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

        // Act
        await page.GotoAsync(app.Urls.First() + "/");
        await page.Locator("#provenance[data-loaded=true]").WaitForAsync();
        await page.Locator("#file").SetInputFilesAsync(png);
        var top = page.Locator("#top-class");
        await top.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await Browser.AttachScreenshotAsync(page, "fashion-mnist-page");

        // Assert
        var shown = int.Parse(await top.GetAttributeAsync("data-index") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
        var bars = await page.Locator("#top li").CountAsync();
        var provenance = await page.Locator("#provenance").InnerTextAsync();
        Assert.Multiple(() =>
        {
            Assert.That(shown, Is.EqualTo(expected), $"the page shows class {shown}, the model predicts {expected}");
            Assert.That(bars, Is.EqualTo(5));
            Assert.That(provenance, Does.Contain(Path.GetFileName(run)).And.Contain("Validation accuracy").And.Contain("Data: train"));
            Assert.That(errors, Is.Empty);
        });
        await app.StopAsync();
    }

    // The class the trained model gives the image, loaded independently of the service.
    private static int OwnPrediction(string run, float[] pixels)
    {
        using var model = FashionMnistModel.Create(FashionMnistModel.Mlp, 256);
        model.load(Path.Combine(run, "model.bin"));
        model.eval();
        using var noGrad = no_grad();
        using var output = model.forward(tensor(pixels, [1, FashionMnistData.Pixels]));
        return (int)output.argmax(1).item<long>();
    }
}
