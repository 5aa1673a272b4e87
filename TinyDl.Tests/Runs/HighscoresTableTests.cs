using Spectre.Console;
using Spectre.Console.Testing;
using TinyDl.Reporters;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Runs;

public sealed class HighscoresTableTests : TemporaryDirectoryTests
{
    [SetUp]
    public void ArrangeRuns()
    {
        HighscoresTests.Arrange(TestDirectory);
    }

    [Test]
    public void The_console_table_shows_one_row_per_run_the_sort_metric_first_and_what_every_run_shares_then_the_damaged_runs()
    {
        // Arrange
        var console = new TestConsole().Width(250).SupportsAnsi(false).Colors(ColorSystem.NoColors);
        var ranking = Highscores.Scan(TestDirectory).Rank(new HighscoreQuery { Where = [HyperparameterFilter.Parse("lr=0.001")] });

        // Act
        HighscoresTable.Write(console, ranking);

        // Assert
        Assert.That(console.Lines, Is.EqualTo(new[]
        {
            "╭──────┬─────────┬───────────┬──────────┬────────┬─────────────────────┬─────────────────╮",
            "│ rank │ run     │ status    │ progress │ hidden │ validation_accuracy │ validation_loss │",
            "├──────┼─────────┼───────────┼──────────┼────────┼─────────────────────┼─────────────────┤",
            "│    1 │ sweep/c │ failed    │ 1/3      │ 256    │                0.95 │             0.4 │",
            "│    2 │ a       │ completed │ 3/3      │ 128    │                 0.9 │             0.3 │",
            "╰──────┴─────────┴───────────┴──────────┴────────┴─────────────────────┴─────────────────╯",
            "               2 runs by best validation_accuracy, highest first; 4 damaged               ",
            "same in every run: lr=0.001",
            "damaged: broken: run.json: the manifest is not valid: Expected end of string, but instead reached end of data. Path: $.name | LineNumber: 0 | BytePositionInLine: 33.",
            "damaged: empty: no run.json",
            "damaged: future: run.json: the manifest has format version 2; this TinyDl reads up to 1.",
            "damaged: sweep/d: no run.json",
        }));
    }
}
