namespace TinyDl.Tests.Packaging;

/// <summary>Packs the repository once for every test in this namespace, and cleans up after them.</summary>
[SetUpFixture]
public sealed class PackagingSetUp
{
    private static LocalFeed? _feed;

    /// <summary>The feed the packaging tests install from.</summary>
    internal static LocalFeed Feed => _feed ?? throw new InvalidOperationException("The packaging set-up has not run.");

    [OneTimeSetUp]
    public void PackTheRepository()
    {
        _feed = LocalFeed.Create();
        TestContext.Progress.WriteLine($"dotnet pack --no-build: {_feed.PackTime.TotalSeconds:F1} s");
        Assert.That(_feed.Pack.ExitCode, Is.Zero, _feed.Pack.ToString());
    }

    [OneTimeTearDown]
    public void DeleteTheFeed()
    {
        _feed?.Dispose();
        _feed = null;
    }
}
