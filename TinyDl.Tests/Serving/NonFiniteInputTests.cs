using System.Net;
using TinyDl.Serving;

namespace TinyDl.Tests.Serving;

public sealed class NonFiniteInputTests
{
    [Test]
    public async Task NaN_and_infinities_reach_the_model_when_allowed_and_come_back_as_strings()
    {
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(
            ModelSource.FromModule(model),
            new ModelServingOptions { InputShape = [4], NonFinite = NonFiniteInputs.Allow });

        var (response, answer) = await Json.PostAsync(served.Client, "/models/m/predict", "{\"inputs\": [{\"shape\": [1, 4], \"data\": [\"NaN\", \"Infinity\", 1e39, 0]}]}");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer?.ToJsonString());
            Assert.That(answer!["outputs"]![0]!["data"]!.AsArray().Select(v => v!.ToJsonString()), Is.All.EqualTo("\"NaN\""));
            Assert.That(answer["predictions"], Is.Null, "no labels: not a classifier");
        });
    }

    [Test]
    public void A_programmatic_input_with_NaN_is_refused_naming_its_position()
    {
        var options = new ModelServingOptions { InputShape = [2] };
        using var model = new GatedModel();
        using var served = new ServedModel("m", ModelSource.FromModule(model), options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var error = Assert.ThrowsAsync<ModelInputException>(() => served.PredictAsync(new ModelInput([1, 2, 3, float.NaN], 2, 2)));

        Assert.That(error!.Field, Is.EqualTo("input.data[1][1]"));
    }
}
