using System.Diagnostics;
using System.Text.Json;

namespace TinyDl.Tests.Packaging;

/// <summary>
/// A console application in a temporary directory outside the repository that references the packed
/// packages only (TinyDl, TinyDl.Metrics, TinyDl.Reporters and TorchSharp-cpu; no project reference,
/// no import, none of the repository's Directory.Build files), built and run as a user would.
/// Its code is <c>PackedApp.cs</c> beside this file.
/// </summary>
public sealed class PackedAppTests
{
    private const string Run = "lr=0.1_hidden=16";
    private const string TorchSharpMessage = "doesn't contain a reference to libtorch";
    private string _app = "";

    private static LocalFeed Feed => PackagingSetUp.Feed;

    [OneTimeSetUp]
    public void WriteTheApplication()
    {
        _app = Directory.CreateDirectory(Path.Combine(Feed.Root, "app")).FullName;
        Feed.WriteNuGetConfig(_app);
        File.WriteAllText(Path.Combine(_app, "PackedApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TinyDl" Version="{Feed.Version}" />
                <PackageReference Include="TinyDl.Metrics" Version="{Feed.Version}" />
                <PackageReference Include="TinyDl.Reporters" Version="{Feed.Version}" />
                <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_app, "Program.cs"), "return PackedApp.TrainOneEpoch.Run(args);\n");
        File.Copy(Path.Combine(LocalFeed.RepositoryRoot, "TinyDl.Tests", "Packaging", "PackedApp.cs"), Path.Combine(_app, "PackedApp.cs"));
    }

    [Test]
    public void The_application_is_outside_the_repository_and_below_no_directory_build_file()
    {
        // Act
        var ancestors = new List<string>();
        for (var directory = new DirectoryInfo(_app); directory is not null; directory = directory.Parent)
        {
            ancestors.Add(directory.FullName);
        }

        // Assert
        string[] buildFiles = ["Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props"];
        Assert.Multiple(() =>
        {
            Assert.That(ancestors, Does.Not.Contain(LocalFeed.RepositoryRoot));
            Assert.That(ancestors.SelectMany(a => buildFiles.Select(f => Path.Combine(a, f))).Where(File.Exists), Is.Empty);
        });
    }

    [Test]
    public void Built_from_the_packages_alone_it_trains_one_epoch_with_the_table_csv_and_tensorboard()
    {
        // Act
        var (run, shim) = BuildAndRun("patched");
        var directory = Path.Combine(_app, "runs-patched", Run);
        var csv = File.ReadAllLines(Path.Combine(directory, "metrics.csv"));
        var events = Directory.GetFiles(directory, "events.out.tfevents.*");
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "run.json")));
        var version = manifest.RootElement.GetProperty("versions").GetProperty("tinyDl").GetString();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Output, Does.Contain("validation_accuracy").And.Contain($"{Run}: Completed"));
            Assert.That(csv[0], Does.StartWith("epoch,").And.Contain("train_loss").And.Contain("validation_accuracy"));
            Assert.That(csv.Skip(1).Select(l => l.Split(',')[0]), Is.EqualTo(new[] { "1" }));
            // A TensorBoard event file starts with the record that names the format.
            Assert.That(events.Select(e => File.ReadAllBytes(e).AsSpan().IndexOf("brain.Event:2"u8) >= 0), Is.EqualTo(new[] { true }));
            Assert.That(version, Does.Match(@"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9a-f]+)?$").And.Not.StartWith("0.0.0"));
            if (OperatingSystem.IsLinux())
            {
                // The build patched the shim exactly where the system needs it (readelf: spec-based reference).
                Assert.That(Readelf(shim), Does.Contain(SystemHasPatchedVersion() ? "Name: GLIBCXX_3.4.32  Flags: none" : "Name: GLIBCXX_3.4.32  Flags: WEAK"));
            }
        });
    }

    [Test]
    [Platform("Linux")]
    public void Built_without_the_shim_patch_it_names_the_missing_version_and_the_fix()
    {
        // Act
        var (run, shim) = BuildAndRun("unpatched", "-p:TinyDlPatchNativeShim=false");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Readelf(shim), Does.Contain("Name: GLIBCXX_3.4.32  Flags: none"));
            if (SystemHasPatchedVersion())
            {
                Assert.That(run.ExitCode, Is.Zero, "this system's libstdc++ has GLIBCXX_3.4.32, so no patch is needed\n" + run);
                return;
            }

            Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
            Assert.That(run.Error, Does.StartWith("error: TorchSharp's native library ").And.Contain(shim));
            Assert.That(run.Error, Does.Contain("lacks the symbol version GLIBCXX_3.4.32"));
            Assert.That(run.Error, Does.Contain("without -p:TinyDlPatchNativeShim=false").And.Contain("GCC 13 or later"));
            Assert.That(run.Output + run.Error, Does.Not.Contain(TorchSharpMessage));
            // TinyDl spoke before TorchSharp, which would have copied libtorch into out/unpatched/cpu first.
            Assert.That(Directory.Exists(Path.Combine(_app, "out", "unpatched", "cpu")), Is.False);
        });
    }

    [Test]
    public void A_project_that_references_only_TinyDl_Metrics_imports_the_native_loading_targets()
    {
        // Arrange
        var project = Directory.CreateDirectory(Path.Combine(Feed.Root, "metrics-only")).FullName;
        Feed.WriteNuGetConfig(project);
        File.WriteAllText(Path.Combine(project, "MetricsOnly.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              <ItemGroup><PackageReference Include="TinyDl.Metrics" Version="{Feed.Version}" /></ItemGroup>
            </Project>
            """);

        // Act
        var restore = DotnetCommand.Run(project, "restore", "--disable-build-servers");
        var property = DotnetCommand.Run(project, "msbuild", "-nologo", "-getProperty:TinyDlPatchNativeShim");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(restore.ExitCode, Is.Zero, restore.ToString());
            Assert.That(property.Output.Trim(), Is.EqualTo("true"), property.ToString());
        });
    }

    private (DotnetCommand.Result Run, string Shim) BuildAndRun(string name, params string[] properties)
    {
        var clock = Stopwatch.StartNew();
        var output = Path.Combine(_app, "out", name);
        // Hard links to the NuGet cache instead of two 1 GB copies of libtorch (CI's disk can be small);
        // the shim fix still patches a copy of its own, which the unpatched build's assertion checks.
        var build = DotnetCommand.Run(_app, ["build", "-c", "Release", "-o", output, "--disable-build-servers", "-p:CreateHardLinksForCopyLocalIfPossible=true", .. properties]);
        Assert.That(build.ExitCode, Is.Zero, build.ToString());
        var run = DotnetCommand.Run(_app, Path.Combine(output, "PackedApp.dll"), Path.Combine(_app, $"runs-{name}"));
        TestContext.Progress.WriteLine($"packed app ({name}): build and run {clock.Elapsed.TotalSeconds:F1} s");
        return (run, Path.Combine(output, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"));
    }

    private static string Readelf(string library)
    {
        var readelf = DotnetCommand.RunProgram("readelf", "/", "--version-info", "--wide", library);
        Assert.That(readelf.ExitCode, Is.Zero, readelf.ToString());
        return readelf.Output;
    }

    // Whether the libstdc++ the loader finds defines the version (its .gnu.version_d, as readelf lists it).
    private static bool SystemHasPatchedVersion()
    {
        var ldconfig = DotnetCommand.RunProgram("/sbin/ldconfig", "/", "-p");
        var path = ldconfig.Output.Split('\n').Where(l => l.Contains("libstdc++.so.6 (", StringComparison.Ordinal) && l.Contains("x86-64", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("=> ", StringComparison.Ordinal) + 3)..].Trim()).First();
        var definitions = Readelf(path);
        return definitions[definitions.IndexOf(".gnu.version_d", StringComparison.Ordinal)..].Contains("Name: GLIBCXX_3.4.32", StringComparison.Ordinal);
    }
}
