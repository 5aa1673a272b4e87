using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TinyDl.Serving;

namespace TinyDl.Tests.Serving;

/// <summary>An application serving one model in process (TestServer), as a user's own app would: AddTinyDlModel, AddOpenApi, MapTinyDlModels, MapOpenApi.</summary>
internal sealed class ServingApp : IAsyncDisposable
{
    public const string Name = "m";

    private ServingApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
        Model = app.Services.GetRequiredKeyedService<ServedModel>(Name);
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public ServedModel Model { get; }

    /// <summary>The class names of the 4 -> 3 classifiers of these tests.</summary>
    public static IReadOnlyList<string> Labels { get; } = ["zero", "one", "two"];

    /// <summary>The options of the 4 -> 3 classifiers of these tests.</summary>
    public static ModelServingOptions Options() => new() { InputShape = [4], Labels = Labels, TopK = 3 };

    public static WebApplication Build(ModelSource source, ModelServingOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddTinyDlModel(Name, source, options);
        builder.Services.AddOpenApi();
        var app = builder.Build();
        app.MapTinyDlModels();
        app.MapOpenApi();
        return app;
    }

    public static async Task<ServingApp> StartAsync(ModelSource source, ModelServingOptions? options = null)
    {
        var app = Build(source, options ?? Options());
        await app.StartAsync();
        return new ServingApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
