using System.Net;
using System.Security.Cryptography;
using TinyDl.Runs;
using TinyDl.Serving;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

/// <summary>Loading from a run directory: what is refused, with which message, and the checkpoints that can be served instead.</summary>
public sealed class RunLoadingTests : TemporaryDirectoryTests
{
    [TestCase("stopped")]
    [TestCase("running")]
    [TestCase("failed")]
    public void A_run_that_is_not_completed_is_refused_naming_its_status(string status)
    {
        var run = TinyRuns.Write(TestDirectory);
        TinyRuns.EditManifest(run, json => json["status"] = status);

        var error = Refusal(ModelSource.FromRun(run, TinyRuns.Linear));

        var shown = status == "stopped" ? "stopped (no reason recorded)" : status;
        Assert.That(error, Does.Contain($"is {shown}, not completed").And.Contain(run));
    }

    [Test]
    public void A_run_stopped_by_early_stopping_is_served_and_a_cancelled_one_refused()
    {
        var run = TinyRuns.Write(TestDirectory);
        TinyRuns.EditManifest(run, json =>
        {
            json["status"] = "stopped";
            json["stopReason"] = "early stopping: the validation loss did not improve for 2 epochs";
        });
        var app = ServingApp.Build(ModelSource.FromRun(run, TinyRuns.Linear), ServingApp.Options());
        Assert.DoesNotThrowAsync(() => app.StartAsync(), "an early-stopped run ended well");
        var status = app.Services.GetServiceOf<ServedModel>().Status;
        Assert.DoesNotThrowAsync(() => app.StopAsync());
        TinyRuns.EditManifest(run, json => json["stopReason"] = "cancelled");

        var cancelled = Refusal(ModelSource.FromRun(run, TinyRuns.Linear));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.Not.EqualTo(ServedModelStatus.Failed));
            Assert.That(cancelled, Does.Contain("is stopped (cancelled), not completed"));
        });
    }

    [Test]
    public void Weights_whose_sha256_is_not_the_recorded_one_are_refused_naming_both()
    {
        var run = TinyRuns.Write(TestDirectory);
        var recorded = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "model.bin"))));
        manual_seed(99);
        ModelFile.Save(nn.Linear(4, 3), Path.Combine(run, "model.bin"));
        var actual = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(run, "model.bin"))));

        var error = Refusal(ModelSource.FromRun(run, TinyRuns.Linear));

        Assert.That(error, Does.Contain($"has SHA-256 {actual}, but run.json records {recorded}"));
    }

    [Test]
    public void Weights_that_do_not_fit_the_model_are_refused()
    {
        var run = TinyRuns.Write(TestDirectory);

        var error = Refusal(ModelSource.FromRun(run, _ => nn.Linear(4, 5)));

        Assert.That(error, Does.Contain("do not fit the model the factory built").And.Contain("lr=0.1, seed=7"));
    }

    [Test]
    public void A_directory_without_run_json_is_refused_as_no_run_directory()
    {
        var error = Refusal(ModelSource.FromRun(TestDirectory, TinyRuns.Linear));

        Assert.That(error, Does.Contain("is not a run directory: it has no run.json"));
    }

    [Test]
    public void A_run_without_recorded_weights_is_refused_pointing_to_the_checkpoints()
    {
        var run = TinyRuns.Write(TestDirectory);
        TinyRuns.EditManifest(run, json => json.Remove("weights"));

        var error = Refusal(ModelSource.FromRun(run, TinyRuns.Linear));

        Assert.That(error, Does.Contain("records no weights file").And.Contain("RunWeights.BestCheckpoint"));
    }

    [Test]
    public void A_factory_that_fails_is_refused_with_its_message()
    {
        var run = TinyRuns.Write(TestDirectory);

        var error = Refusal(ModelSource.FromRun(run, _ => throw new KeyNotFoundException("no 'hidden'")));

        Assert.That(error, Does.Contain("The model factory failed").And.Contain("no 'hidden'"));
    }

    [TestCase(RunWeights.BestCheckpoint, "best")]
    [TestCase(RunWeights.LastCheckpoint, "last")]
    public async Task A_checkpoint_can_be_served_instead_of_the_recorded_weights(RunWeights weights, string name)
    {
        // Arrange
        var run = TinyRuns.Write(TestDirectory);
        var path = Path.Combine(run, "checkpoints", $"{name}.ckpt");
        using var reference = nn.Linear(4, 3);
        Checkpoint.Read(path).LoadModel(reference);
        float[] expected;
        using (no_grad())
        {
            using var output = reference.forward(tensor(new[] { 1f, 2f, 3f, 4f }, [1, 4]));
            expected = output.data<float>().ToArray();
        }

        // Act
        await using var served = await ServingApp.StartAsync(ModelSource.FromRun(run, TinyRuns.Linear, weights));
        var provenance = await Json.GetAsync(served.Client, "/models/m");
        var (response, answer) = await Json.PostAsync(served.Client, "/models/m/predict", Json.Request([[1, 2, 3, 4]]));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(Json.Outputs(answer!), Is.EqualTo(expected));
            Assert.That((string)provenance["weights"]!["path"]!, Is.EqualTo(path));
            Assert.That((string)provenance["weights"]!["choice"]!, Is.EqualTo(name));
            Assert.That((string)provenance["weights"]!["sha256"]!, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))));
        });
    }

    // Starting the application loads the model; a refused run makes the start throw.
    private static string Refusal(ModelSource source)
    {
        var app = ServingApp.Build(source, ServingApp.Options());
        var error = Assert.ThrowsAsync<ModelLoadException>(() => app.StartAsync());
        var model = app.Services.GetServiceOf<ServedModel>();
        Assert.That(model.Status, Is.EqualTo(ServedModelStatus.Failed));
        return error!.Message;
    }
}

internal static class ServiceProviderExtensions
{
    public static T GetServiceOf<T>(this IServiceProvider services)
        where T : notnull => Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetRequiredKeyedService<T>(services, ServingApp.Name);
}
