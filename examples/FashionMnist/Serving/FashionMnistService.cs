using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TinyDl.Runs;
using TinyDl.Serving;
using static TorchSharp.torch;

namespace FashionMnist.Serving;

/// <summary>
/// <c>--serve RUN_DIR</c>: the trained Fashion-MNIST model of a run directory over HTTP. JSON input of 784
/// pixels or a PNG/JPEG upload at <c>POST /models/fashion/predict</c>, its provenance at
/// <c>GET /models/fashion</c>, health at <c>/healthz</c> and <c>/readyz</c>, the OpenAPI document at
/// <c>/openapi/v1.json</c>, and a page to try it at <c>/</c>.
/// </summary>
public static class FashionMnistService
{
    /// <summary>The model's name in the routes: <c>/models/fashion</c>.</summary>
    public const string ModelName = "fashion";

    /// <summary>The exit code when the run is refused (not completed, weights changed or not fitting the model).</summary>
    public const int RefusedExitCode = 4;

    /// <summary>The exit code when the address cannot be listened on.</summary>
    public const int AddressExitCode = 5;

    /// <summary>How the model is served: 784 pixels in, 10 logits out, the class names, PNG and JPEG uploads.</summary>
    public static ModelServingOptions Options { get; } = new()
    {
        InputShape = [FashionMnistData.Pixels],
        InputName = "pixels",
        Labels = FashionMnistData.ClassNames,
        Decoders = FashionMnistImage.MediaTypes.ToDictionary(type => type, _ => (Func<ReadOnlyMemory<byte>, ModelInput>)FashionMnistImage.Decode),
        MaxRequestBytes = 8 * ModelServingOptions.Megabyte,
    };

    /// <summary>Serves the run until Ctrl+C or SIGTERM; a refused run or an unusable address ends with one message line.</summary>
    /// <param name="runDirectory">The run directory, <c>&lt;out&gt;/&lt;experiment name&gt;</c>.</param>
    /// <param name="host">The address to listen on (127.0.0.1 keeps it to this machine).</param>
    /// <param name="port">The port; 0 for any free one.</param>
    /// <returns>The exit code: 0, <see cref="RefusedExitCode"/> or <see cref="AddressExitCode"/>.</returns>
    public static int Run(string runDirectory, string host, int port)
    {
        if (!IPAddress.TryParse(host, out var address) && host != "localhost")
        {
            Console.Error.WriteLine($"error: --host must be an IP address such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface); got '{host}'.");
            return FashionMnist.Options.UsageExitCode;
        }

        // The refusals below end in one message line of ours; the host's own report of them would add a stack trace.
        var app = Create(runDirectory, builder =>
        {
            builder.WebHost.UseUrls(Url(address, host, port));
            builder.Logging.AddFilter((category, level) =>
                level >= LogLevel.Information
                && !(category == "Microsoft.Extensions.Hosting.Internal.Host" && level >= LogLevel.Error)
                && !(category?.StartsWith("TinyDl.Serving", StringComparison.Ordinal) == true && level == LogLevel.Critical));
        });
        try
        {
            app.Start();
        }
        catch (ModelLoadException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            return RefusedExitCode;
        }
        catch (Exception error) when (error is IOException or ArgumentException or InvalidOperationException)
        {
            Console.Error.WriteLine($"error: cannot listen on {host}:{port.ToString(CultureInfo.InvariantCulture)}: {error.Message} Choose another --port (or --port 0 for any free one).");
            return AddressExitCode;
        }

        var url = app.Urls.First();
        Console.WriteLine($"Serving {Path.GetFullPath(runDirectory)} at {url}/ (the page), {url}/models/{ModelName}/predict, {url}/openapi/v1.json. Ctrl+C stops.");
        app.WaitForShutdown();
        return 0;
    }

    /// <summary>Builds the service for a run directory; <paramref name="configure"/> may change the builder (addresses, a test server).</summary>
    /// <param name="runDirectory">The run directory.</param>
    /// <param name="configure">Called before the application is built.</param>
    /// <returns>The application, not started.</returns>
    public static WebApplication Create(string runDirectory, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddTinyDlModel(ModelName, ModelSource.FromRun(runDirectory, Model), Options);
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapTinyDlModels();
        app.MapOpenApi();
        MapPage(app);
        return app;
    }

    /// <summary>The model of a run from its hyperparameters <c>model</c> (absent in runs from before <c>--model</c>: mlp) and <c>hidden</c>.</summary>
    /// <param name="run">The run's manifest.</param>
    /// <returns>The untrained model.</returns>
    public static nn.Module<Tensor, Tensor> Model(RunManifest run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var hyperparameters = run.Hyperparameters;
        if (!hyperparameters.TryGetValue("hidden", out var hidden))
        {
            throw new InvalidDataException("the run has no 'hidden' hyperparameter, so it is not a run of the Fashion-MNIST example");
        }

        var kind = hyperparameters.TryGetValue("model", out var model) ? Convert.ToString(model, CultureInfo.InvariantCulture)! : FashionMnistModel.Mlp;
        return FashionMnistModel.Create(kind, Convert.ToInt32(hidden, CultureInfo.InvariantCulture));
    }

    private static string Url(IPAddress? address, string host, int port) =>
        address is { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 }
            ? $"http://[{address}]:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}";

    // The page and its script and style, embedded in the assembly (no CDN, nothing to install).
    private static void MapPage(WebApplication app)
    {
        (string Path, string Resource, string Type)[] files =
        [
            ("/", "page/index.html", "text/html; charset=utf-8"),
            ("/app.js", "page/app.js", "text/javascript; charset=utf-8"),
            ("/app.css", "page/app.css", "text/css; charset=utf-8"),
        ];
        foreach (var (path, resource, type) in files)
        {
            using var stream = typeof(FashionMnistService).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The page file '{resource}' is not embedded in the assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            app.MapGet(path, () => TypedResults.Bytes(bytes, type)).ExcludeFromDescription();
        }
    }
}
