using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TinyDl.Serving;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

public sealed class ServingEndpointTests : TemporaryDirectoryTests
{
    private static readonly float[][] Samples = [[0.5f, -1.25f, 2f, 0.1f], [3f, 0.3f, -0.7f, 1e-3f], [-2f, 1f, 0.25f, 7f]];

    [Test]
    public async Task A_prediction_over_http_equals_the_models_own_output_bit_for_bit()
    {
        // Arrange
        var run = TinyRuns.Write(TestDirectory);
        await using var served = await ServingApp.StartAsync(ModelSource.FromRun(run, TinyRuns.Linear));
        using var reference = TinyRuns.Load(run);
        float[] expected, probabilities;
        using (no_grad())
        {
            using var output = reference.forward(tensor(Samples.SelectMany(s => s).ToArray(), [3, 4]));
            expected = output.data<float>().ToArray();
            probabilities = output.softmax(1).data<float>().ToArray();
        }

        // Act
        var (response, answer) = await Json.PostAsync(served.Client, "/models/m/predict", Json.Request(Samples));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer?.ToJsonString());
            Assert.That(Json.Outputs(answer!), Is.EqualTo(expected));
            Assert.That(answer!["outputs"]![0]!["shape"]!.AsArray().Select(v => (int)v!), Is.EqualTo(new[] { 3, 3 }));
            for (var i = 0; i < 3; i++)
            {
                var best = Enumerable.Range(0, 3).MaxBy(c => probabilities[(3 * i) + c]);
                var prediction = answer["predictions"]![i]!;
                Assert.That((int)prediction["index"]!, Is.EqualTo(best));
                Assert.That((string)prediction["label"]!, Is.EqualTo(ServingApp.Labels[best]));
                Assert.That((float)prediction["probability"]!, Is.EqualTo(probabilities[(3 * i) + best]));
                Assert.That(prediction["top"]!.AsArray().Select(t => (float)t!["probability"]!), Is.Ordered.Descending);
            }
        });
    }

    [Test]
    public async Task The_provenance_is_the_run_json_as_written_with_the_weights_as_checked()
    {
        // Arrange
        var run = TinyRuns.Write(TestDirectory);
        await using var served = await ServingApp.StartAsync(ModelSource.FromRun(run, TinyRuns.Linear));

        // Act
        var provenance = await Json.GetAsync(served.Client, "/models/m");

        // Assert
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "run.json")));
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "model.bin"))));
        Assert.Multiple(() =>
        {
            Assert.That(JsonNode.DeepEquals(provenance["run"], manifest), Is.True, provenance["run"]?.ToJsonString());
            Assert.That((string)provenance["run"]!["status"]!, Is.EqualTo("completed"));
            Assert.That((string)provenance["weights"]!["sha256"]!, Is.EqualTo(sha));
            Assert.That((string)provenance["weights"]!["path"]!, Is.EqualTo(Path.Combine(run, "model.bin")));
            Assert.That((string)provenance["status"]!, Is.EqualTo("ready"));
            Assert.That(provenance["input"]!["shape"]!.AsArray().Select(v => (int)v!), Is.EqualTo(new[] { 4 }));
            Assert.That(provenance["output"]!["shape"]!.AsArray().Select(v => (int)v!), Is.EqualTo(new[] { 3 }));
            Assert.That(provenance["output"]!["labels"]!.AsArray().Select(v => (string)v!), Is.EqualTo(ServingApp.Labels));
        });
    }

    [Test]
    public async Task Health_and_readiness_answer_200_once_the_model_is_loaded_and_warmed_up()
    {
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(ModelSource.FromModule(model));

        var health = await served.Client.GetAsync("/healthz");
        var ready = await served.Client.GetAsync("/readyz");
        var readiness = await Json.Body(ready);

        Assert.Multiple(() =>
        {
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string)readiness!["models"]!["m"]!, Is.EqualTo("ready"));
            Assert.That(model.Batches, Is.EqualTo(new long[] { 1, 32 }), "warm-up: one sample, then a full batch");
        });
    }

    [Test]
    public async Task The_openapi_document_describes_the_real_input_and_output_shapes()
    {
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(ModelSource.FromModule(model));

        var document = await Json.GetAsync(served.Client, "/openapi/v1.json");

        var predict = document["paths"]!["/models/m/predict"]!["post"]!;
        Assert.Multiple(() =>
        {
            Assert.That(predict["x-tinydl-input"]!["shape"]!.ToJsonString(), Is.EqualTo("[null,4]"));
            Assert.That((int)predict["x-tinydl-input"]!["maxSamples"]!, Is.EqualTo(32));
            Assert.That(predict["x-tinydl-output"]!["shape"]!.ToJsonString(), Is.EqualTo("[null,3]"));
            Assert.That((string)predict["description"]!, Does.Contain("[N, 4]").And.Contain("[N, 3]").And.Contain("zero, one, two"));
            var example = predict["requestBody"]!["content"]!["application/json"]!["example"]!;
            Assert.That(example["inputs"]![0]!["data"]!.AsArray(), Has.Count.EqualTo(4));
            Assert.That(predict["responses"]!.AsObject().Select(r => r.Key), Is.SupersetOf(new[] { "200", "400", "413", "415", "503" }));
            Assert.That(document["paths"]!["/models/m"]!["get"], Is.Not.Null);
        });
    }

    [Test]
    public async Task Nested_data_a_named_input_and_top_k_give_the_flat_requests_answer()
    {
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(ModelSource.FromModule(model));
        var flat = Json.Request(Samples[..1]);
        var nested = "{\"inputs\": [[[0.5, -1.25, 2, 0.1]]]}";
        var named = "{\"inputs\": {\"input\": {\"name\": \"input\", \"data\": [[0.5, -1.25, 2, 0.1]]}}}";

        var (_, expected) = await Json.PostAsync(served.Client, "/models/m/predict", flat);
        var (nestedResponse, fromNested) = await Json.PostAsync(served.Client, "/models/m/predict", nested);
        var (_, fromNamed) = await Json.PostAsync(served.Client, "/models/m/predict?top=2", named);

        Assert.Multiple(() =>
        {
            Assert.That(nestedResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK), fromNested?.ToJsonString());
            Assert.That(Json.Outputs(fromNested!), Is.EqualTo(Json.Outputs(expected!)));
            Assert.That(Json.Outputs(fromNamed!), Is.EqualTo(Json.Outputs(expected!)));
            Assert.That(fromNamed!["predictions"]![0]!["top"]!.AsArray(), Has.Count.EqualTo(2));
            Assert.That(expected!["predictions"]![0]!["top"]!.AsArray(), Has.Count.EqualTo(3));
        });
    }
}
