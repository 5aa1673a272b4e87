using TinyDl.Tests.Runs;

namespace TinyDl.Tests.Packaging;

/// <summary>The tinydl tool installed from the local feed with <c>dotnet tool install</c>, as README's Install shows.</summary>
public sealed class ToolInstallTests
{
    private string _tools = "";
    private DotnetCommand.Result _install = null!;

    private static LocalFeed Feed => PackagingSetUp.Feed;

    private string Tinydl => Path.Combine(_tools, OperatingSystem.IsWindows() ? "tinydl.exe" : "tinydl");

    [OneTimeSetUp]
    public void InstallTheTool()
    {
        _tools = Path.Combine(Feed.Root, "tools");
        _install = DotnetCommand.Run(Feed.Root, "tool", "install", "--tool-path", _tools, "--add-source", Feed.Directory, "--version", Feed.Version, "TinyDl.Cli");
    }

    [Test]
    public void The_tool_installs_from_the_feed_as_the_tinydl_command_without_native_libraries()
    {
        // Act
        var natives = Directory.Exists(_tools)
            ? Directory.EnumerateFiles(_tools, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".so", StringComparison.Ordinal) || f.EndsWith(".dylib", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("libSkiaSharp", StringComparison.Ordinal) || Path.GetFileName(f).StartsWith("LibTorchSharp", StringComparison.Ordinal)).ToList()
            : [];

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(_install.ExitCode, Is.Zero, _install.ToString());
            Assert.That(File.Exists(Tinydl), Is.True, Tinydl);
            Assert.That(natives, Is.Empty);
        });
    }

    [Test]
    public void The_installed_tinydl_prints_its_help()
    {
        // Act
        var help = DotnetCommand.RunProgram(Tinydl, Feed.Root, "--help");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(help.ExitCode, Is.Zero, help.ToString());
            Assert.That(help.Output, Does.Contain("highscores"));
        });
    }

    [Test]
    public void The_installed_tinydl_lists_the_highscores_of_a_directory_of_runs()
    {
        // Arrange: two finished runs; the tool has no libtorch, so reading them must not need it.
        var runs = Directory.CreateDirectory(Path.Combine(Feed.Root, "runs")).FullName;
        RunDirectories.Write(runs, "first", lr: 0.001, hidden: 128, bestAccuracy: 0.9, finalAccuracy: 0.85, bestLoss: 0.3);
        RunDirectories.Write(runs, "second", lr: 0.01, hidden: 256, bestAccuracy: 0.8, finalAccuracy: 0.75, bestLoss: 0.2);

        // Act
        var highscores = DotnetCommand.RunProgram(Tinydl, Feed.Root, "highscores", runs, "--format", "csv");
        var rows = highscores.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();

        // Assert: ranked by best validation accuracy, highest first.
        Assert.Multiple(() =>
        {
            Assert.That(highscores.ExitCode, Is.Zero, highscores.ToString());
            Assert.That(rows, Has.Count.EqualTo(2), highscores.ToString());
            Assert.That(rows[0], Does.Contain(",first,").And.Contain("0.9"));
            Assert.That(rows[1], Does.Contain(",second,").And.Contain("0.8"));
        });
    }
}
