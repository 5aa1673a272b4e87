using System.Net;
using System.Security.Cryptography;
using TinyDl.Runs;
using TinyDl.Serving;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

/// <summary>ReloadOnChange: replaced weights are served once run.json records them; requests keep being answered meanwhile.</summary>
public sealed class ReloadTests : TemporaryDirectoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Weights_replaced_atomically_are_served_without_failing_a_request()
    {
        // Arrange: a client keeps asking while the run's weights are replaced.
        var run = TinyRuns.Write(TestDirectory);
        await using var served = await ServingApp.StartAsync(ModelSource.FromRun(run, TinyRuns.Linear), new ModelServingOptions { InputShape = [4], ReloadOnChange = true });
        using var stop = new CancellationTokenSource();
        var statuses = new List<HttpStatusCode>();
        var asking = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var (response, _) = await Json.PostAsync(served.Client, "/models/m/predict", Json.Request([[1, 2, 3, 4]]));
                statuses.Add(response.StatusCode);
            }
        });

        // Act: the new weights, then run.json recording them, each written to a temporary file and renamed.
        manual_seed(123);
        using var replacement = nn.Linear(4, 3);
        var sha = Replace(run, replacement);
        await Until(async () => (string?)(await Json.GetAsync(served.Client, "/models/m"))["weights"]!["sha256"] == sha);
        await stop.CancelAsync();
        await asking;
        var (_, answer) = await Json.PostAsync(served.Client, "/models/m/predict", Json.Request([[1, 2, 3, 4]]));

        // Assert
        replacement.eval();
        using var expected = replacement.forward(tensor(new[] { 1f, 2f, 3f, 4f }, [1, 4]));
        Assert.Multiple(() =>
        {
            Assert.That(statuses, Is.Not.Empty.And.All.EqualTo(HttpStatusCode.OK));
            Assert.That(Json.Outputs(answer!), Is.EqualTo(expected.data<float>().ToArray()));
            Assert.That(served.Model.Statistics.Reloads, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Replaced_weights_that_do_not_fit_leave_the_old_ones_serving()
    {
        var run = TinyRuns.Write(TestDirectory);
        await using var served = await ServingApp.StartAsync(ModelSource.FromRun(run, TinyRuns.Linear), new ModelServingOptions { InputShape = [4], ReloadOnChange = true });
        var before = (string?)(await Json.GetAsync(served.Client, "/models/m"))["weights"]!["sha256"];

        using var wrong = nn.Linear(4, 5);
        Replace(run, wrong);
        await Until(async () => (await Json.GetAsync(served.Client, "/models/m"))["serving"]!["lastReloadError"] is not null);
        var provenance = await Json.GetAsync(served.Client, "/models/m");
        var (response, _) = await Json.PostAsync(served.Client, "/models/m/predict", Json.Request([[1, 2, 3, 4]]));

        Assert.Multiple(() =>
        {
            Assert.That((string?)provenance["weights"]!["sha256"], Is.EqualTo(before));
            Assert.That((string)provenance["serving"]!["lastReloadError"]!, Does.Contain("do not fit"));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    // Saves the model over model.bin and records its SHA-256 in run.json, each atomically, as a run does.
    private static string Replace(string run, nn.Module model)
    {
        ModelFile.Save(model, Path.Combine(run, "model.bin"));
        var sha = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "model.bin"))));
        var path = Path.Combine(run, RunManifest.FileName);
        var manifest = RunManifest.Read(path);
        (manifest with { Weights = manifest.Weights! with { Sha256 = sha } }).WriteTo(path);
        return sha;
    }

    private static async Task Until(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
