using Microsoft.Playwright;

namespace TinyDl.Tests.Support;

/// <summary>
/// A headless Chromium for page tests: Debian's <c>chromium</c> (installed by <c>.ci/run</c>) driven by
/// Playwright, whose NuGet package carries its own driver; Playwright's browser download is never used.
/// Without Chromium the test fails with the command that installs it.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    /// <summary>Where Debian's package installs Chromium.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>How to install it.</summary>
    public const string InstallCommand = "sudo apt-get install chromium";

    private static readonly string[] Arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    /// <summary>The running browser.</summary>
    public IBrowser Chromium { get; }

    /// <summary>Starts Chromium headless; fails the test (not skips) when it is not installed.</summary>
    public static async Task<Browser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"Chromium is not installed at {ChromiumPath}; the page tests need it. Install it with: {InstallCommand} (.ci/run does).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return new Browser(playwright, chromium);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new page in a fresh context; fails on any console error or failed request of the page's own.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var page = await Chromium.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        page.SetDefaultTimeout(20_000);
        return page;
    }

    /// <summary>Saves a full-page screenshot as the current test's attachment (a CI artefact in the test results).</summary>
    public static async Task AttachScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.AddTestAttachment(path, name);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
