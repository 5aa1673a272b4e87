using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace TinyDl.Serving.Internal;

/// <summary>
/// Describes a model's endpoints in the OpenAPI document with the model's real shapes: the input's
/// [N, ..sample] and N's limit from the options, the output's from the warm-up, the labels, an example
/// request of the right size, and the decoders' media types.
/// </summary>
internal sealed class ModelOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.Description.ActionDescriptor.EndpointMetadata.OfType<ModelEndpointMetadata>().FirstOrDefault();
        if (endpoint is null || context.ApplicationServices.GetService<ServedModels>() is not { } models)
        {
            return;
        }

        var model = models[endpoint.Model];
        var options = model.Options;
        var input = $"[N, {string.Join(", ", options.InputShape)}]";
        var output = model.OutputShape.Count == 0 ? "[N, ...] (known once the model is loaded)" : $"[N, {string.Join(", ", model.OutputShape)}]";
        var labels = options.Labels is { } names ? $" It is a classifier of {names.Count} classes ({string.Join(", ", names)}): answers list each sample's {options.TopK} most probable classes (?top=k for another k)." : "";
        operation.Description = endpoint.Kind == ModelEndpointKind.Predict
            ? $"Runs model '{model.Name}' on N float32 samples of shape {input} (1 <= N <= {options.MaxBatchSize}) and answers its float32 outputs of shape {output}.{labels} Bad input is answered with an RFC 7807 problem naming the field."
            : $"The provenance of model '{model.Name}': run.json of its run, the weights' SHA-256, input {input} and output {output}.";
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        operation.Extensions["x-tinydl-input"] = new JsonNodeExtension(new JsonObject
        {
            ["name"] = options.InputName,
            ["dtype"] = "float32",
            ["shape"] = Shape(options.InputShape),
            ["maxSamples"] = options.MaxBatchSize,
        });
        operation.Extensions["x-tinydl-output"] = new JsonNodeExtension(new JsonObject
        {
            ["dtype"] = "float32",
            ["shape"] = Shape(model.OutputShape),
            ["labels"] = options.Labels is null ? null : new JsonArray([.. options.Labels.Select(label => (JsonNode)label)]),
        });

        if (endpoint.Kind == ModelEndpointKind.Predict)
        {
            // The endpoint reads its body itself (so that every bad input gets a problem naming its field,
            // and other media types a 415 of ours), so the request body is described here.
            var schema = await context.GetOrCreateSchemaAsync(typeof(PredictRequest), null, cancellationToken).ConfigureAwait(false);
            var content = new Dictionary<string, OpenApiMediaType>
            {
                [PredictEndpoint.Json] = new OpenApiMediaType { Schema = schema, Example = Example(options) },
            };
            operation.RequestBody = new OpenApiRequestBody { Required = true, Content = content, Description = $"N samples of shape {input}." };

            foreach (var type in options.Decoders.Keys)
            {
                content[type] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary", Description = $"Decoded into {input}." } };
            }

            if (options.Decoders.Count > 0)
            {
                content[PredictEndpoint.Form] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = $"One file of type {string.Join(", ", options.Decoders.Keys)}.",
                        Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } },
                    },
                };
            }
        }
    }

    // N is null: any batch size up to maxSamples.
    private static JsonArray Shape(IReadOnlyList<int> sample) => new([null, .. sample.Select(size => (JsonNode)size)]);

    // One sample of zeros, so the example has the real element count.
    private static JsonObject Example(ModelServingOptions options)
    {
        long[] shape = [1, .. options.InputShape.Select(size => (long)size)];
        return new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject
            {
                ["shape"] = new JsonArray([.. shape.Select(size => (JsonNode)size)]),
                ["data"] = new JsonArray([.. Enumerable.Repeat(0, options.SampleSize).Select(_ => (JsonNode)0)]),
            }),
        };
    }
}
