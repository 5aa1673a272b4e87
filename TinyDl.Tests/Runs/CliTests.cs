using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Cli;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

public sealed class CliTests : TemporaryDirectoryTests
{
    [SetUp]
    public void ArrangeRuns()
    {
        HighscoresTests.Arrange(TestDirectory);
    }

    [TestCase(new string[0], "error: Give a command, such as: tinydl highscores runs", TestName = "No_arguments_print_the_usage_with_exit_code_2")]
    [TestCase(new[] { "scores" }, "error: Required command was not provided. Unrecognized command or argument 'scores'.", TestName = "An_unknown_command_is_an_error")]
    [TestCase(new[] { "highscores" }, "error: Required argument 'dir' missing for command: 'highscores'.", TestName = "A_missing_directory_argument_is_an_error")]
    [TestCase(new[] { "highscores", "a", "b" }, "error: Unrecognized command or argument 'b'.", TestName = "Two_directories_are_an_error")]
    [TestCase(new[] { "highscores", ".", "--color" }, "error: Unrecognized command or argument '--color'.", TestName = "An_unknown_option_is_an_error")]
    [TestCase(new[] { "highscores", ".", "--sort" }, "error: Required argument missing for option: '--sort'.", TestName = "An_option_without_its_value_is_an_error")]
    [TestCase(new[] { "highscores", ".", "--top", "0" }, "error: --top needs a positive whole number, not '0'.", TestName = "A_top_that_is_not_positive_is_an_error")]
    [TestCase(new[] { "highscores", ".", "--top=x" }, "error: --top needs a positive whole number, not 'x'.", TestName = "A_top_that_is_not_a_number_is_an_error")]
    [TestCase(new[] { "highscores", ".", "--format", "xml" }, "error: Argument 'xml' not recognized. Must be one of: 'table' 'csv' 'markdown'", TestName = "An_unknown_format_is_an_error")]
    [TestCase(new[] { "highscores", ".", "--where", "lr" }, "error: --where: 'lr' is not a filter; write key=value, such as lr=0.001.", TestName = "A_filter_without_a_value_is_an_error")]
    [TestCase(new[] { "highscores", ".", "--asc", "--desc" }, "error: Give --asc or --desc, not both.", TestName = "Both_orders_are_an_error")]
    public void Bad_arguments_exit_with_code_2_an_error_and_the_usage(string[] args, string message)
    {
        // Arrange
        var (console, output, error) = Sinks();

        // Act
        var code = TinyDlCommand.Run(args, console, output, error);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.StartWith(message));
            Assert.That(error.ToString(), Does.Contain("Usage:").And.Contain(args.Length == 0 || args[0] != "highscores" ? "tinydl [command] [options]" : "tinydl highscores <dir> [options]"));
            Assert.That(output.ToString(), Is.Empty);
            Assert.That(console.Output, Is.Empty);
        });
    }

    [Test]
    public void A_directory_metric_or_hyperparameter_that_does_not_exist_is_an_error()
    {
        // Arrange
        var (console, output, error) = Sinks();
        var missing = Path.Combine(TestDirectory, "nope");

        // Act
        var codes = new[]
        {
            TinyDlCommand.Run(["highscores", missing], console, output, error),
            TinyDlCommand.Run(["highscores", TestDirectory, "--sort", "accuracy"], console, output, error),
            TinyDlCommand.Run(["highscores", TestDirectory, "--where", "batch=64"], console, output, error),
        };

        // Assert
        var lines = error.ToString().Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Multiple(() =>
        {
            Assert.That(codes, Is.All.EqualTo(2));
            Assert.That(lines, Is.EqualTo(new[]
            {
                $"error: There is no directory '{missing}'.",
                "error: No run records a metric 'accuracy'. Metrics: validation_loss, validation_accuracy.",
                "error: No run has a hyperparameter 'batch'. Hyperparameters: lr, hidden.",
            }));
        });
    }

    [Test]
    public void Highscores_as_csv_go_to_standard_output_and_damaged_runs_to_standard_error()
    {
        // Arrange
        var (console, output, error) = Sinks();

        // Act
        var code = TinyDlCommand.Run(["highscores", TestDirectory, "--sort=validation_loss", "--desc", "--where", "lr=0.001", "--format", "csv", "--top", "1"], console, output, error);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(output.ToString(), Is.EqualTo("rank,run,status,progress,lr,hidden,validation_loss,validation_accuracy\n1,sweep/c,failed,1/3,0.001,256,0.4,0.95\n"));
            Assert.That(error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(':')[1].Trim()), Is.EqualTo(new[] { "broken", "empty", "future", "sweep/d" }));
            Assert.That(console.Output, Is.Empty);
        });
    }

    [Test]
    public void Highscores_as_markdown_and_as_a_table_match_the_library()
    {
        // Arrange
        var (console, output, error) = Sinks();
        var ranking = Highscores.Scan(TestDirectory).Rank(new HighscoreQuery { Final = true });

        // Act
        var markdownCode = TinyDlCommand.Run(["highscores", TestDirectory, "--final", "--format", "markdown"], console, output, error);
        var tableCode = TinyDlCommand.Run(["highscores", TestDirectory, "--final"], console, new StringWriter(), new StringWriter());

        // Assert
        var expected = new TestConsole().Width(120).SupportsAnsi(false).Colors(ColorSystem.NoColors);
        TinyDl.Reporters.HighscoresTable.WriteRuns(expected, ranking);
        Assert.Multiple(() =>
        {
            Assert.That((markdownCode, tableCode), Is.EqualTo((0, 0)));
            Assert.That(output.ToString(), Is.EqualTo(ranking.ToMarkdown()));
            Assert.That(console.Output, Is.EqualTo(expected.Output));
        });
    }

    [Test]
    public void Help_prints_the_usage_and_succeeds()
    {
        var (console, output, error) = Sinks();

        var code = TinyDlCommand.Run(["highscores", "--help"], console, output, error);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(output.ToString(), Does.Contain("Usage:").And.Contain("tinydl highscores <dir> [options]").And.Contain("--where <KEY=VALUE>"));
            Assert.That(error.ToString(), Is.Empty);
        });
    }

    private static (TestConsole Console, StringWriter Output, StringWriter Error) Sinks() =>
        (new TestConsole().Width(120).SupportsAnsi(false).Colors(ColorSystem.NoColors), new StringWriter(), new StringWriter());
}
