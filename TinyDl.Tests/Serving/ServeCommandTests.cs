using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using TinyDl.Tests.Examples;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Serving;

/// <summary><c>FashionMnist --serve RUN_DIR</c> as a user runs it: a child process on a free loopback port.</summary>
[NonParallelizable]
public sealed partial class ServeCommandTests : TemporaryDirectoryTests
{
    [Test]
    public async Task The_serve_command_answers_the_readme_request_and_stops_cleanly_on_sigterm()
    {
        // Arrange
        using var process = ExampleProcess.Start("FashionMnist", ["--serve", TrainedRun.Directory, "--port", "0"]);
        var error = process.StandardError.ReadToEndAsync();
        var line = await ReadUntil(process, "Serving ");
        var url = Address().Match(line ?? "").Value;

        // Act: the README's request, 784 zeros.
        using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        var (response, answer) = await Json.PostAsync(client, "/models/fashion/predict", Json.Request([new float[784]]));
        var ready = await client.GetAsync("/readyz");
        Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]).WaitForExit();
        var exited = process.WaitForExit(TimeSpan.FromSeconds(30));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(url, Does.StartWith("http://127.0.0.1:"), line + error.Result);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer?.ToJsonString());
            Assert.That((string?)answer!["predictions"]![0]!["label"], Is.Not.Empty);
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(exited, Is.True);
            Assert.That(process.ExitCode, Is.EqualTo(0), error.Result);
        });
    }

    [Test]
    public void A_refused_run_ends_with_one_message_line_and_exit_code_4()
    {
        var (exitCode, output) = ExampleProcess.Run("--serve", TestDirectory, "--port", "0");

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.EqualTo(4), output);
            Assert.That(output, Does.Contain("error: ").And.Contain("is not a run directory: it has no run.json"));
            Assert.That(output, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    private static async Task<string?> ReadUntil(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        return null;
    }

    [GeneratedRegex(@"http://[0-9.]+:[0-9]+")]
    private static partial Regex Address();
}
