using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyDl.Runs.Internal;

/// <summary>The JSON settings of <c>run.json</c>: camelCase properties, keys as they are, lower-case statuses.</summary>
internal static class ManifestJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = null,
            WriteIndented = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            AllowTrailingCommas = false,
            TypeInfoResolver = ManifestJsonContext.Default,
            Converters =
            {
                new JsonStringEnumConverter<RunStatus>(JsonNamingPolicy.CamelCase, allowIntegerValues: false),
                new HyperparameterValueConverter(),
            },
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
