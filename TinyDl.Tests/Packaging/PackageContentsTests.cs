using System.Xml.Linq;

namespace TinyDl.Tests.Packaging;

/// <summary>What <c>dotnet pack</c> makes of the repository: dependencies, metadata and files, read from the .nupkg files.</summary>
public sealed class PackageContentsTests
{
    private static LocalFeed Feed => PackagingSetUp.Feed;

    [Test]
    public void Packing_gives_no_warning()
    {
        // MSBuild writes every warning as "file: warning CODE: text" (NU5xxx from NuGet, MINVERxxxx, CSxxxx ...).
        Assert.That(Feed.Pack.Output + Feed.Pack.Error, Does.Not.Match(@"warning [A-Z]+[0-9]+"), Feed.Pack.ToString());
    }

    [TestCase("TinyDl", new[] { "System.Reactive", "TorchSharp" })]
    [TestCase("TinyDl.Metrics", new[] { "TinyDl" })]
    [TestCase("TinyDl.Reporters", new[] { "CsvHelper", "Google.Protobuf", "SkiaSharp", "SkiaSharp.NativeAssets.Linux.NoDependencies", "Spectre.Console", "TinyDl" })]
    [TestCase("TinyDl.Serving", new[] { "Microsoft.AspNetCore.OpenApi", "TinyDl", "TorchSharp" })]
    [TestCase("TinyDl.Cli", new string[0])]
    public void Each_package_depends_only_on_what_it_uses(string id, string[] dependencies)
    {
        // Act
        var declared = Feed.Nuspec(id).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.That(declared, Is.EqualTo(dependencies));
    }

    [TestCase("TinyDl")]
    [TestCase("TinyDl.Metrics")]
    [TestCase("TinyDl.Reporters")]
    [TestCase("TinyDl.Serving")]
    [TestCase("TinyDl.Cli")]
    public void Each_package_has_its_readme_licence_repository_and_symbols(string id)
    {
        // Act
        var metadata = Feed.Nuspec(id).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        var repository = metadata.Elements().Single(e => e.Name.LocalName == "repository");
        var entries = Feed.Entries(id);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Value("readme"), Is.EqualTo("README.md"));
            Assert.That(entries, Does.Contain("README.md").And.Contain("LICENSE"));
            Assert.That(Value("license"), Is.EqualTo("MIT"));
            Assert.That(Value("projectUrl"), Is.EqualTo("https://github.com/tinydl/TinyDl"));
            Assert.That((string?)repository.Attribute("url"), Is.EqualTo("https://github.com/tinydl/TinyDl"));
            Assert.That((string?)repository.Attribute("commit"), Does.Match("^[0-9a-f]{40}$"));
            Assert.That(File.Exists(Feed.PackagePath(id, ".snupkg")), Is.True, "symbol package");
        });
    }

    [TestCase("TinyDl")]
    [TestCase("TinyDl.Metrics")]
    [TestCase("TinyDl.Reporters")]
    [TestCase("TinyDl.Serving")]
    public void Each_library_carries_its_xml_documentation_and_only_TinyDl_carries_build_targets(string id)
    {
        // Act
        var entries = Feed.Entries(id);

        // Assert
        string[] targets = id == "TinyDl" ? ["buildTransitive/TinyDl.targets", "buildTransitive/WeakenElfVersionNeed.cs"] : [];
        Assert.Multiple(() =>
        {
            Assert.That(entries, Does.Contain($"lib/net10.0/{id}.dll").And.Contain($"lib/net10.0/{id}.xml"));
            Assert.That(entries.Where(e => e.StartsWith("build", StringComparison.Ordinal)), Is.EquivalentTo(targets));
        });
    }

    [Test]
    public void The_tool_package_is_small_and_carries_no_native_library()
    {
        // Act
        var entries = Feed.Entries("TinyDl.Cli");
        var size = new FileInfo(Feed.PackagePath("TinyDl.Cli")).Length;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(entries, Does.Contain("tools/net10.0/any/TinyDl.Cli.dll").And.Contain("tools/net10.0/any/DotnetToolSettings.xml"));
            Assert.That(entries.Where(e => e.Contains("/runtimes/", StringComparison.Ordinal) || e.EndsWith(".so", StringComparison.Ordinal) || e.EndsWith(".dylib", StringComparison.Ordinal)), Is.Empty);
            Assert.That(size, Is.LessThan(4 * 1024 * 1024), "bytes");
        });
    }

    [Test]
    public void The_tool_package_names_its_command_tinydl()
    {
        // Act
        using var zip = System.IO.Compression.ZipFile.OpenRead(Feed.PackagePath("TinyDl.Cli"));
        using var stream = zip.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open();
        var command = XDocument.Load(stream).Descendants().Single(e => e.Name.LocalName == "Command");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((string?)command.Attribute("Name"), Is.EqualTo("tinydl"));
            Assert.That((string?)command.Attribute("EntryPoint"), Is.EqualTo("TinyDl.Cli.dll"));
        });
    }
}
