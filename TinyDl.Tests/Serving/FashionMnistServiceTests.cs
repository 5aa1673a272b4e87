using System.Net;
using System.Net.Http.Headers;
using FashionMnist;
using FashionMnist.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using SkiaSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

/// <summary>The Fashion-MNIST service (<c>--serve</c>) in process, on a real trained run: images and JSON pixels, as training preprocessed them.</summary>
[NonParallelizable]
public sealed class FashionMnistServiceTests
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private nn.Module<Tensor, Tensor> _reference = null!;

    [OneTimeSetUp]
    public async Task Serve()
    {
        var run = TrainedRun.Directory;
        _app = FashionMnistService.Create(run, builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        _client = _app.GetTestClient();

        // The model loaded independently of the service, as the example's --evaluate does.
        _reference = FashionMnistModel.Create(FashionMnistModel.Mlp, 256);
        _reference.load(Path.Combine(run, "model.bin"));
        _reference.eval();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _reference.Dispose();
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(42)]
    public async Task A_test_set_png_gives_exactly_the_models_output_on_its_pixels_over_255(int image)
    {
        var expected = Reference(FashionMnistImages.Scaled(image));

        var answer = await PostImage(FashionMnistImages.Png(image), "image/png");

        Assert.That(Json.Outputs(answer), Is.EqualTo(expected));
    }

    [Test]
    public async Task Json_pixels_a_png_and_a_form_upload_give_the_same_answer()
    {
        var (response, fromJson) = await Json.PostAsync(_client, "/models/fashion/predict", Json.Request([FashionMnistImages.Scaled(7)]));
        var fromPng = await PostImage(FashionMnistImages.Png(7), "image/png");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(FashionMnistImages.Png(7));
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "garment.png");
        var fromForm = await Json.Body(await _client.PostAsync("/models/fashion/predict", form));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Json.Outputs(fromPng), Is.EqualTo(Json.Outputs(fromJson!)));
            Assert.That(Json.Outputs(fromForm!), Is.EqualTo(Json.Outputs(fromJson!)));
            Assert.That(fromJson!["predictions"]![0]!["top"]!.AsArray(), Has.Count.EqualTo(5));
        });
    }

    [Test]
    public async Task A_large_dark_on_light_jpeg_is_inverted_and_scaled_to_the_garment_training_saw()
    {
        // Arrange: a test image ten times larger and inverted (a product photo on white), as a JPEG.
        var pixels = FashionMnistImages.Pixels(3);
        using var bitmap = new SKBitmap(280, 280, SKColorType.Gray8, SKAlphaType.Opaque);
        for (var y = 0; y < 280; y++)
        {
            for (var x = 0; x < 280; x++)
            {
                var grey = (byte)(255 - pixels[((y / 10) * 28) + (x / 10)]);
                bitmap.SetPixel(x, y, new SKColor(grey, grey, grey));
            }
        }

        using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        var expected = Reference(FashionMnistImages.Scaled(3));

        // Act
        var answer = await PostImage(jpeg.ToArray(), "image/jpeg");

        // Assert: not the same bits (JPEG, scaling), but the same garment to the model, about as sure.
        var probabilities = Softmax(Json.Outputs(answer));
        var reference = Softmax(expected);
        Assert.Multiple(() =>
        {
            Assert.That((int)answer["predictions"]![0]!["index"]!, Is.EqualTo(Array.IndexOf(expected, expected.Max())));
            Assert.That(probabilities.Zip(reference, (a, b) => Math.Abs(a - b)).Max(), Is.LessThan(0.1), $"{string.Join(", ", probabilities)} against {string.Join(", ", reference)}");
        });
    }

    [Test]
    public async Task Bytes_that_are_no_image_are_a_400_problem_naming_the_body()
    {
        using var content = new ByteArrayContent("not an image"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        var response = await _client.PostAsync("/models/fashion/predict", content);
        var problem = await Json.Body(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)problem!["field"]!, Is.EqualTo("body"));
            Assert.That((string)problem["expected"]!, Is.EqualTo("a PNG or JPEG image"));
        });
    }

    [Test]
    public async Task The_page_and_its_assets_are_served_by_the_app_without_outside_resources()
    {
        var page = await _client.GetStringAsync("/");
        var script = await _client.GetStringAsync("/app.js");
        var style = await _client.GetAsync("/app.css");

        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("<script src=\"app.js\"></script>").And.Contain("app.css"));
            Assert.That(page + script, Does.Not.Contain("http://").And.Not.Contain("https://"));
            Assert.That(script, Does.Contain("models/${model}/predict"));
            Assert.That(style.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/css"));
        });
    }

    private static double[] Softmax(float[] logits)
    {
        var exp = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        return [.. exp.Select(e => e / exp.Sum())];
    }

    private float[] Reference(float[] pixels)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return _reference.forward(tensor(pixels, [1, FashionMnistData.Pixels])).data<float>().ToArray();
    }

    private async Task<System.Text.Json.Nodes.JsonNode> PostImage(byte[] bytes, string type)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(type);
        var response = await _client.PostAsync("/models/fashion/predict", content);
        var body = await Json.Body(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body?.ToJsonString());
        return body!;
    }
}
