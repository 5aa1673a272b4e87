using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TinyDl.Tests.Serving;

/// <summary>Requests and answers as JSON, built and read in the tests without the service's own types.</summary>
internal static class Json
{
    /// <summary>A prediction request of samples (rows) as flat data with its shape, numbers written to round-trip.</summary>
    public static string Request(float[][] samples) =>
        $"{{\"inputs\": [{{\"shape\": [{samples.Length}, {samples[0].Length}], \"data\": [{string.Join(", ", samples.SelectMany(s => s).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]}}]}}";

    public static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<(HttpResponseMessage Response, JsonNode? Body)> PostAsync(HttpClient client, string path, string json, CancellationToken cancellationToken = default)
    {
        var response = await client.PostAsync(path, Content(json), cancellationToken);
        return (response, await Body(response));
    }

    public static async Task<JsonNode?> Body(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? null : JsonNode.Parse(text);
    }

    /// <summary>The answer's outputs as floats, parsed from their JSON text.</summary>
    public static float[] Outputs(JsonNode answer) =>
        [.. answer["outputs"]![0]!["data"]!.AsArray().Select(v => float.Parse(v!.ToJsonString(), CultureInfo.InvariantCulture))];

    public static async Task<JsonNode> GetAsync(HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonNode>(path))!;
}
