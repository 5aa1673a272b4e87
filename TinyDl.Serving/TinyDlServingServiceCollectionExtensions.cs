using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using TinyDl.Serving.Internal;

namespace TinyDl.Serving;

/// <summary>Registers TinyDl models to serve: <c>builder.Services.AddTinyDlModel("fashion", source, options)</c>, then <c>app.MapTinyDlModels()</c>.</summary>
public static class TinyDlServingServiceCollectionExtensions
{
    /// <summary>
    /// Registers a model to serve under <paramref name="name"/>: it is loaded and warmed up on its own
    /// worker when the application starts (a refused run makes <c>app.Run</c> throw a
    /// <see cref="ModelLoadException"/>), answers through the endpoints <c>MapModel</c> maps, and drains its
    /// queue when the application stops. Also registers the readiness check and, for applications that
    /// add OpenAPI (<c>AddOpenApi</c>), the description of the model's real input and output shapes.
    /// The model is a keyed service: <c>GetRequiredKeyedService&lt;ServedModel&gt;(name)</c>.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="name">The model's name in its routes, <c>/models/{name}</c>: letters, digits, '.', '_' and '-'.</param>
    /// <param name="source">Where the model comes from: <see cref="ModelSource.FromRun"/> or <see cref="ModelSource.FromModule"/>.</param>
    /// <param name="options">How it is served.</param>
    /// <returns><paramref name="services"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid name or is already registered.</exception>
    public static IServiceCollection AddTinyDlModel(this IServiceCollection services, string name, ModelSource source, ModelServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"The model name '{name}' must be letters, digits, '.', '_' and '-' only: it is part of the routes /models/{{name}}.", nameof(name));
        }

        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(ModelRegistry))?.ImplementationInstance as ModelRegistry;
        if (registry is null)
        {
            registry = new ModelRegistry();
            services.AddSingleton(registry);
            services.TryAddSingleton<ServedModels>();
            services.AddHostedService<ModelHostedService>();
            services.AddHealthChecks().AddCheck<ModelsReadyCheck>(ModelsReadyCheck.Name, tags: [ModelsReadyCheck.Tag]);
            services.ConfigureAll<OpenApiOptions>(openApi => openApi.AddOperationTransformer(new ModelOperationTransformer()));
        }

        registry.Add(name, source, options);
        services.AddKeyedSingleton(name, (provider, _) => provider.GetRequiredService<ServedModels>()[name]);
        return services;
    }
}
