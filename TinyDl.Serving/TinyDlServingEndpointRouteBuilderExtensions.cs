using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using TinyDl.Serving.Internal;

namespace TinyDl.Serving;

/// <summary>Maps the endpoints of served models: <c>app.MapTinyDlModels()</c> for all of them and the health checks, or <c>app.MapModel(name)</c> for one.</summary>
public static class TinyDlServingEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every model registered with <c>AddTinyDlModel</c> (see <see cref="MapModel"/>) and the health
    /// endpoints: <c>GET /healthz</c> (200 while the process serves) and <c>GET /readyz</c> (200 once every
    /// model is loaded and warmed up, 503 while loading or stopping).
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <returns>A group of all these endpoints, for conventions such as <c>RequireAuthorization</c>.</returns>
    /// <exception cref="InvalidOperationException">No model was registered.</exception>
    public static RouteGroupBuilder MapTinyDlModels(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var models = Models(endpoints);
        var group = endpoints.MapGroup("");
        foreach (var model in models.All)
        {
            group.MapModel(model.Name);
        }

        group.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealth });
        group.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ModelsReadyCheck.Tag), ResponseWriter = WriteHealth });
        return group;
    }

    /// <summary>
    /// Maps one model's endpoints under <c>/models/{name}</c>: <c>GET /models/{name}</c>, its provenance
    /// (run.json as written, the weights as checked, input and output shapes, serving options and
    /// statistics), and <c>POST /models/{name}/predict</c>, its predictions. Bad input is answered with
    /// RFC 7807 problem documents: 400 naming the field and what was expected, 413 over the body limit,
    /// 415 for another media type, 503 with <c>Retry-After</c> when the model cannot take the request.
    /// </summary>
    /// <param name="endpoints">The application or a group.</param>
    /// <param name="name">The name the model was registered under.</param>
    /// <returns>The model's group, to add conventions or endpoints of one's own.</returns>
    /// <exception cref="InvalidOperationException">No model of that name was registered.</exception>
    public static RouteGroupBuilder MapModel(this IEndpointRouteBuilder endpoints, string name)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var model = Models(endpoints)[name];
        var group = endpoints.MapGroup($"/models/{model.Name}").WithTags($"model {model.Name}");
        group.MapGet("", () => TypedResults.Json(Provenance.Of(model), ServingJson.Options))
            .WithName($"{model.Name}-provenance")
            .WithSummary($"The provenance of model '{model.Name}'")
            .WithMetadata(new ModelEndpointMetadata(model.Name, ModelEndpointKind.Provenance));
        group.MapPost("/predict", (Delegate)((HttpContext context) => PredictEndpoint.HandleAsync(context, model)))
            .WithName($"{model.Name}-predict")
            .WithSummary($"Predict with model '{model.Name}'")
            .Produces<PredictResponse>(StatusCodes.Status200OK, PredictEndpoint.Json)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithMetadata(new ModelEndpointMetadata(model.Name, ModelEndpointKind.Predict));
        return group;
    }

    private static ServedModels Models(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<ServedModels>()
        ?? throw new InvalidOperationException("No TinyDl model is registered: call builder.Services.AddTinyDlModel(name, source, options) before mapping models.");

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var models = report.Entries.TryGetValue(ModelsReadyCheck.Name, out var entry) ? entry.Data : null;
        var body = new Dictionary<string, object?> { ["status"] = report.Status.ToString().ToLowerInvariant() };
        if (entry.Description is { } description)
        {
            body["description"] = description;
        }

        if (models is not null)
        {
            body["models"] = models;
        }

        return context.Response.WriteAsync(JsonSerializer.Serialize(body, ServingJson.Options), context.RequestAborted);
    }
}
