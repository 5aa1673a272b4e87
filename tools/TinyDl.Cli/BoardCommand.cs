using System.CommandLine;
using System.CommandLine.Parsing;
using TinyDl.Board;
using TinyDl.Examples;

namespace TinyDl.Cli;

/// <summary><c>tinydl board DIR</c>: the runs under a directory in a browser, live, on 127.0.0.1 unless told otherwise; prints the URL and opens nothing.</summary>
internal static class BoardCommand
{
    public static Command Create(TextWriter output, Func<CancellationToken>? stopping = null)
    {
        var directory = new Argument<string>("dir") { Description = "The directory of the runs (directories with a run.json, also one level deeper)." };
        var port = new Option<int>("--port") { Description = "The port to listen on; 0 for any free one.", DefaultValueFactory = _ => BoardServer.DefaultPort, CustomParser = ParsePort };
        var host = new Option<string>("--host") { Description = "The address to bind to (another than 127.0.0.1 shows your runs to the network).", DefaultValueFactory = _ => BoardServer.DefaultHost };
        var command = new Command("board", "Serves a page of the runs under a directory: runs table, curves updated live, hyperparameters, each run's manifest and predictions. Stop with Ctrl+C.")
        {
            directory, port, host,
        };
        command.SetAction((result, cancellation) => Run(result.GetValue(directory)!, result.GetValue(host)!, result.GetValue(port), output, stopping?.Invoke() ?? cancellation));
        return command;
    }

    private static async Task<int> Run(string directory, string host, int port, TextWriter output, CancellationToken cancellation)
    {
        if (!Directory.Exists(directory))
        {
            throw new OptionsException($"There is no directory '{directory}'.");
        }

        await using var app = BoardServer.Create(new BoardOptions { Root = directory }, host, port);
        try
        {
            await app.StartAsync(cancellation);
        }
        catch (IOException problem)
        {
            throw new OptionsException($"Cannot listen on {host}:{port}: {problem.Message} Choose another --port.");
        }

        output.WriteLine($"TinyDl board of {Path.GetFullPath(directory)} at {app.Urls.First()}/ (Ctrl+C to stop)");
        output.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, cancellation);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: stop serving.
        }

        await app.StopAsync(CancellationToken.None);
        return ExitCodes.Success;
    }

    private static int ParsePort(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= 65535)
        {
            return n;
        }

        result.AddError($"--port needs a port number from 0 to 65535, not '{text}'.");
        return 0;
    }
}
