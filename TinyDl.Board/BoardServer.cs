using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace TinyDl.Board;

/// <summary>The board as a stand-alone web application on Kestrel, as <c>tinydl board</c> runs it.</summary>
public static class BoardServer
{
    /// <summary>The address the board binds to unless told otherwise: loopback only.</summary>
    public const string DefaultHost = "127.0.0.1";

    /// <summary>The port used unless told otherwise.</summary>
    public const int DefaultPort = 6006;

    /// <summary>Builds the application; start it with <c>StartAsync</c> or <c>RunAsync</c>.</summary>
    /// <param name="options">The root and limits.</param>
    /// <param name="host">The address to bind to. Defaults to <see cref="DefaultHost"/>.</param>
    /// <param name="port">The port; 0 for any free one (read <c>Urls</c> after starting).</param>
    /// <returns>The application, not started.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="port"/> is outside 0..65535.</exception>
    public static WebApplication Create(BoardOptions options, string host = DefaultHost, int port = DefaultPort)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(FormattableString.Invariant($"http://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}"));
        var app = builder.Build();
        app.MapTinyDlBoard(options);
        return app;
    }
}
