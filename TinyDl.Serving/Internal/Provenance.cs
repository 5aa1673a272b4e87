using System.Globalization;
using System.Text.Json.Nodes;
using TinyDl.Runs;

namespace TinyDl.Serving.Internal;

/// <summary>
/// <c>GET /models/{name}</c>: where the model comes from (run.json as the run wrote it: experiment,
/// hyperparameters, data fingerprints, metrics, versions), the weights as checked, the input and output
/// shapes, and how it is served.
/// </summary>
internal static class Provenance
{
    public static JsonObject Of(ServedModel model)
    {
        var options = model.Options;
        var weights = model.Weights;
        var versions = RunVersions.Current;
        return new JsonObject
        {
            ["name"] = model.Name,
            ["status"] = Lower(model.Status),
            ["error"] = model.Error,
            ["runDirectory"] = model.Source.RunDirectory,
            ["run"] = model.RunJson?.DeepClone(),
            ["weights"] = weights is null ? null : new JsonObject
            {
                ["source"] = Lower(model.Source.Weights),
                ["path"] = weights.Path,
                ["sha256"] = weights.Sha256,
                ["epoch"] = weights.Epoch,
                ["choice"] = weights.Choice,
                ["loadedAt"] = weights.LoadedAt.ToString("O", CultureInfo.InvariantCulture),
            },
            ["input"] = new JsonObject
            {
                ["name"] = options.InputName,
                ["dtype"] = "float32",
                ["shape"] = Shape(options.InputShape),
                ["mediaTypes"] = new JsonArray([.. PredictEndpoint.Accepted(options).Select(type => (JsonNode)type)]),
            },
            ["output"] = new JsonObject
            {
                ["dtype"] = "float32",
                ["shape"] = Shape(model.OutputShape),
                ["labels"] = options.Labels is null ? null : new JsonArray([.. options.Labels.Select(label => (JsonNode)label)]),
                ["kind"] = options.Labels is null ? null : Lower(options.ClassifierOutput),
            },
            ["serving"] = new JsonObject
            {
                ["device"] = options.Device.ToString(),
                ["maxBatchSize"] = options.MaxBatchSize,
                ["maxWaitMilliseconds"] = options.MaxWait.TotalMilliseconds,
                ["queueCapacity"] = options.QueueCapacity,
                ["maxRequestBytes"] = options.MaxRequestBytes,
                ["nonFinite"] = Lower(options.NonFinite),
                ["reloadOnChange"] = options.ReloadOnChange,
                ["lastReloadError"] = model.LastReloadError,
                ["versions"] = new JsonObject { ["tinyDl"] = versions.TinyDl, ["torchSharp"] = versions.TorchSharp, ["dotNet"] = versions.DotNet },
                ["statistics"] = Statistics(model.Statistics),
            },
        };
    }

    private static JsonObject Statistics(ServingStatistics statistics) => new()
    {
        ["requests"] = statistics.Requests,
        ["batches"] = statistics.Batches,
        ["samples"] = statistics.Samples,
        ["dropped"] = statistics.Dropped,
        ["rejected"] = statistics.Rejected,
        ["reloads"] = statistics.Reloads,
    };

    private static JsonArray Shape(IReadOnlyList<int> shape) => new([.. shape.Select(size => (JsonNode)size)]);

    private static string Lower<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
