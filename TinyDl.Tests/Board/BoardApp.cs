using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using TinyDl.Board;

namespace TinyDl.Tests.Board;

/// <summary>The board in process (TestServer), as a user's own app would map it.</summary>
internal sealed class BoardApp : IAsyncDisposable
{
    private BoardApp(WebApplication app)
    {
        App = app;
        Client = app.GetTestClient();
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public static async Task<BoardApp> StartAsync(string root, TimeSpan? poll = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapTinyDlBoard(new BoardOptions { Root = root, PollInterval = poll ?? TimeSpan.FromMilliseconds(100) });
        await app.StartAsync();
        return new BoardApp(app);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
