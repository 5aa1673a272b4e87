using TinyDl.Tests.Examples;

namespace TinyDl.Tests.Serving;

/// <summary>
/// One real Fashion-MNIST run for the service's tests, trained once (one MLP epoch, a few seconds) by the
/// example as a user runs it, and deleted after the serving tests. Needs Debian's dataset-fashion-mnist;
/// fails with the install command without it.
/// </summary>
[SetUpFixture]
public sealed class TrainedRun
{
    private static readonly Lazy<string> Run = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);
    private static string? _root;

    /// <summary>The run directory, trained on first use.</summary>
    public static string Directory => Run.Value;

    [OneTimeTearDown]
    public void Delete()
    {
        if (_root is not null && System.IO.Directory.Exists(_root))
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
    }

    private static string Train()
    {
        _root = System.IO.Directory.CreateTempSubdirectory("tinydl-serving-").FullName;
        var (exitCode, output) = ExampleProcess.Run("--epochs", "1", "--out", _root);
        Assert.That(exitCode, Is.EqualTo(0), output);
        return System.IO.Directory.GetDirectories(_root).Single();
    }
}
