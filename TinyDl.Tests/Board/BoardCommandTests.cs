using System.CommandLine;
using Spectre.Console.Testing;
using TinyDl.Cli;
using TinyDl.Runs;

namespace TinyDl.Tests.Board;

public sealed class BoardCommandTests
{
    [Test]
    public async Task Tinydl_board_prints_its_loopback_url_serves_the_runs_and_stops_when_asked()
    {
        // Arrange
        using var sweep = new BoardSweep();
        var run = sweep.Add(0.01, 128, 2);
        using var output = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var command = BoardCommand.Create(TextWriter.Synchronized(output), () => stop.Token);

        // Act
        var running = Task.Run(() => command.Parse([sweep.Root, "--port", "0"]).InvokeAsync());
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!output.ToString().Contains("http://", StringComparison.Ordinal) && DateTime.UtcNow < deadline && !running.IsCompleted)
        {
            await Task.Delay(50);
        }

        var printed = output.ToString();
        var url = printed.Split(' ').First(w => w.StartsWith("http://", StringComparison.Ordinal));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var runs = await client.GetStringAsync(url + "api/runs");
        await stop.CancelAsync();
        var code = await running;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(url, Does.StartWith("http://127.0.0.1:"));
            Assert.That(printed, Does.Contain(sweep.Root));
            Assert.That(runs, Does.Contain(run));
            Assert.That(code, Is.EqualTo(0));
        });
    }

    [Test]
    public void Tinydl_board_on_a_missing_directory_says_so_with_exit_code_2()
    {
        // Arrange
        var console = new TestConsole();
        using var output = new StringWriter();
        using var error = new StringWriter();

        // Act
        var code = TinyDlCommand.Run(["board", "/nonexistent/runs"], console, output, error);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(error.ToString(), Does.Contain("There is no directory '/nonexistent/runs'."));
        });
    }
}
