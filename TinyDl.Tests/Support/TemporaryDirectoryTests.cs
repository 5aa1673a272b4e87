namespace TinyDl.Tests.Support;

/// <summary>Base of fixtures whose tests write files: each test gets a fresh, empty directory, deleted after it.</summary>
public abstract class TemporaryDirectoryTests
{
    /// <summary>The current test's directory; it exists and is empty when the test starts.</summary>
    protected string TestDirectory { get; private set; } = "";

    [SetUp]
    public void CreateTestDirectory() => TestDirectory = Directory.CreateTempSubdirectory("tinydl-test-").FullName;

    [TearDown]
    public void DeleteTestDirectory()
    {
        if (Directory.Exists(TestDirectory))
        {
            Directory.Delete(TestDirectory, recursive: true);
        }
    }
}
