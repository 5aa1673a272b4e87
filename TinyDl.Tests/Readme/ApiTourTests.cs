using System.Reactive.Linq;
using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl;
using TinyDl.Metrics;
using TinyDl.Reporters;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Tests.Readme;

/// <summary>The README's API tour, compiled and run here; a test keeps the README's copy identical.</summary>
public sealed partial class ApiTourTests
{
    [Test]
    public void The_api_tour_runs_a_small_sweep_and_writes_every_report()
    {
        // Arrange
        var (x, y) = Support.Synthetic.Classification(512, seed: 1);
        var (validX, validY) = Support.Synthetic.Classification(256, seed: 2);
        var root = Directory.CreateTempSubdirectory("tinydl-tour-").FullName;
        var console = new TestConsole().Width(120);

        // Act
        Tour(x, y, validX, validY, root, console);

        // Assert
        string[] experiments = ["lr=0.01_hidden=16", "lr=0.01_hidden=64", "lr=0.1_hidden=16", "lr=0.1_hidden=64"];
        var summaries = console.Lines.Where(l => experiments.Any(e => l.StartsWith(e + ": ", StringComparison.Ordinal))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(summaries.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]), Is.EqualTo(experiments));
            Assert.That(summaries, Has.All.Match(": (Completed|Stopped), best validation accuracy 0\\.9"));
            foreach (var experiment in experiments)
            {
                Assert.That(File.Exists(Path.Combine(root, experiment, "metrics.csv")), Is.True);
                Assert.That(Directory.GetFiles(Path.Combine(root, experiment), "events.out.tfevents.*"), Has.Length.EqualTo(1));
            }

            Assert.That(console.Output, Does.Contain("validation_accuracy"));
        });
        Directory.Delete(root, recursive: true);
    }

    [Test]
    public void The_readme_shows_the_tour_exactly_as_compiled_here() =>
        AssertShownAsCompiled("Readme/ApiTourTests.cs", "tour");

    /// <summary>
    /// The README's block between <c>&lt;!-- NAME:start --&gt;</c> and <c>&lt;!-- NAME:end --&gt;</c> is its using
    /// lines, a blank line, then exactly the code between <c>// NAME:start</c> and <c>// NAME:end</c> in the
    /// test file (dedented); every using line it shows is one the test file compiles with.
    /// </summary>
    internal static void AssertShownAsCompiled(string testFile, string name)
    {
        var source = File.ReadAllText(Path.Combine(RepositoryRoot(), "TinyDl.Tests", testFile));
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var compiled = Between(source, $"// {name}:start\n", $"// {name}:end");
        compiled = Dedent(compiled[..compiled.LastIndexOf('\n')]) + "\n";
        var shown = Between(readme, $"<!-- {name}:start -->\n```csharp\n", $"```\n<!-- {name}:end -->");
        var lines = shown.Split('\n');
        var usings = lines.TakeWhile(l => l.StartsWith("using ", StringComparison.Ordinal)).ToList();
        var code = string.Join('\n', lines.Skip(usings.Count).SkipWhile(l => l.Length == 0));
        var sourceUsings = source.Split('\n').Where(l => l.StartsWith("using ", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(usings, Is.Not.Empty, $"the README's {name} block shows its using lines first");
            Assert.That(usings, Is.SubsetOf(sourceUsings), "every using line shown is one the code compiles with");
            Assert.That(code, Is.EqualTo(compiled));
        });
    }

    private static void Tour(Tensor x, Tensor y, Tensor validX, Tensor validY, string root, IAnsiConsole console)
    {
        // tour:start
        var grid = new Hyperparameter { { "lr", 0.01, 0.1 }, { "hidden", 16, 64 } };
        foreach (var experiment in grid.GetExperiments())
        {
            Seed.Everything(42);
            var hidden = experiment.Get<int>("hidden");
            var model = nn.Sequential(("hidden", nn.Linear(4, hidden)), ("relu", nn.ReLU()), ("output", nn.Linear(hidden, 3)));
            var optimizer = optim.Adam(model.parameters(), experiment.Get<double>("lr"));
            var loss = nn.CrossEntropyLoss();

            using var trainer = new Trainer(model, new TensorBatches(x, y, batchSize: 32, shuffle: true, seed: 42), optimizer, loss, [new Loss(), new Accuracy()]);
            using var validator = new Validator(model, new TensorBatches(validX, validY, batchSize: 128), loss, [new Loss(), new Accuracy()]);
            using var runner = new Runner(trainer, validator) { Experiment = experiment };

            // Participants attach to the run's events: a table on the console, metrics.csv, TensorBoard.
            var directory = Path.Combine(root, experiment.Name);
            using var table = new ConsoleTableReporter(console);
            using var csv = new CsvReporter(Path.Combine(directory, "metrics.csv"));
            using var tensorBoard = new TensorBoardReporter(directory);
            using var attached = runner.Attach(table, csv, tensorBoard);

            // Any observer can act on the run: stop once validation accuracy passes 0.97.
            runner.EpochCompleted
                .Where(e => e.Stage == Stage.Validation && e.Metrics["accuracy"] > 0.97)
                .Subscribe(_ => runner.RequestStop());

            RunCompleted result = runner.Run(epochs: 10);
            console.WriteLine($"{experiment.Name}: {result.Status}, best validation accuracy {result.Best[Stage.Validation]["accuracy"]:F3}");
        }

        // tour:end
    }

    internal static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = from < 0 ? -1 : text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        Assert.That(from >= 0 && to >= 0, Is.True, $"markers '{start.Trim()}' and '{end.Trim()}' not found");
        return text[(from + start.Length)..to];
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "TinyDl.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("TinyDl.sln not found above the test directory.");
    }

    /// <summary>The code without the indentation all its lines share.</summary>
    private static string Dedent(string code)
    {
        var lines = code.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart(' ').Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart(' ')));
    }
}
