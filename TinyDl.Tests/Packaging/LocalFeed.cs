using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace TinyDl.Tests.Packaging;

/// <summary>
/// The repository's packages, packed once from the build the tests run on (<c>dotnet pack --no-build</c>)
/// into a feed in a temporary directory outside the repository. They get a version of their own, so
/// NuGet's package cache never serves a copy left by an earlier run; <see cref="Dispose"/> removes the
/// temporary directory and those cache entries.
/// </summary>
internal sealed class LocalFeed : IDisposable
{
    public static readonly string[] PackageIds = ["TinyDl", "TinyDl.Metrics", "TinyDl.Reporters", "TinyDl.Cli"];

    private LocalFeed(string root, string version)
    {
        Root = root;
        Version = version;
        Directory = System.IO.Directory.CreateDirectory(Path.Combine(root, "feed")).FullName;
    }

    /// <summary>The temporary directory that holds the feed and the tests' applications.</summary>
    public string Root { get; }

    /// <summary>The feed: a directory of .nupkg files.</summary>
    public string Directory { get; }

    /// <summary>The version every package was packed with.</summary>
    public string Version { get; }

    /// <summary>The pack command and what it printed.</summary>
    public DotnetCommand.Result Pack { get; private set; } = null!;

    /// <summary>How long packing took.</summary>
    public TimeSpan PackTime { get; private set; }

    /// <summary>The repository this test assembly was built from (the directory of TinyDl.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Packs every packable project of the solution into a new feed.</summary>
    public static LocalFeed Create()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var feed = new LocalFeed(System.IO.Directory.CreateTempSubdirectory("tinydl-packages-").FullName, $"0.0.0-packagetest.{stamp}.{Environment.ProcessId}");
        var configuration = typeof(LocalFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var clock = Stopwatch.StartNew();
        feed.Pack = DotnetCommand.Run(
            RepositoryRoot, "pack", Path.Combine(RepositoryRoot, "TinyDl.sln"), "-c", configuration, "--no-build", "--disable-build-servers",
            "-o", feed.Directory, $"-p:MinVerVersionOverride={feed.Version}");
        feed.PackTime = clock.Elapsed;
        return feed;
    }

    /// <summary>The path of a package in the feed.</summary>
    public string PackagePath(string id, string extension = ".nupkg") => Path.Combine(Directory, $"{id}.{Version}{extension}");

    /// <summary>The names of the entries in a package.</summary>
    public IReadOnlyList<string> Entries(string id)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    /// <summary>A package's .nuspec.</summary>
    public XDocument Nuspec(string id)
    {
        using var zip = ZipFile.OpenRead(PackagePath(id));
        using var stream = zip.GetEntry($"{id}.nuspec")!.Open();
        return XDocument.Load(stream);
    }

    /// <summary>Writes a nuget.config that adds this feed to the sources the machine already has.</summary>
    public void WriteNuGetConfig(string directory) => File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="tinydl-local" value="{Directory}" />
          </packageSources>
        </configuration>
        """);

    public void Dispose()
    {
        System.IO.Directory.Delete(Root, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages
            ? packages
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in PackageIds)
        {
            var package = Path.Combine(cache, id.ToLowerInvariant());
            if (System.IO.Directory.Exists(Path.Combine(package, Version)))
            {
                System.IO.Directory.Delete(Path.Combine(package, Version), recursive: true);
            }

            if (System.IO.Directory.Exists(package) && !System.IO.Directory.EnumerateFileSystemEntries(package).Any())
            {
                System.IO.Directory.Delete(package);
            }
        }
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TinyDl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TinyDl.sln not found above the test directory.");
    }
}
