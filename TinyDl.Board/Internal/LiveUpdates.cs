using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace TinyDl.Board.Internal;

/// <summary>
/// The server-sent events of <c>/api/events?run=...</c>: one <c>update</c> event whenever a watched run's
/// metrics.csv grows (its new rows are parsed incrementally) or its run.json changes, with the run, its
/// status, its epoch count and its newest row; a comment every 15 s keeps proxies from closing the stream.
/// The server looks at file sizes every <see cref="BoardOptions.PollInterval"/>; the page keeps one
/// connection open, so a board of many tabs costs one stat per run per interval, not requests.
/// </summary>
internal static class LiveUpdates
{
    public static async Task Stream(HttpContext context, BoardData data, string[] runs)
    {
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var seen = new Dictionary<string, (long Metrics, DateTime Manifest)>(StringComparer.Ordinal);
        var entries = data.Runs().Where(r => runs.Contains(r.Run)).ToList();
        foreach (var run in entries)
        {
            seen[run.Run] = State(data, run);
        }

        // Only now, with the files' state taken, say that the stream watches: a change after this line is sent.
        await response.WriteAsync(": watching\n\n", context.RequestAborted);
        await response.Body.FlushAsync(context.RequestAborted);

        var keepAlive = DateTime.UtcNow;
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await Task.Delay(data.Options.PollInterval, context.RequestAborted);
                foreach (var run in entries)
                {
                    var state = State(data, run);
                    if (state == seen[run.Run])
                    {
                        continue;
                    }

                    seen[run.Run] = state;
                    var fresh = data.Find(run.Run) ?? run;
                    var (header, rows) = data.Metrics(fresh);
                    var last = rows.Length > 0 ? header.Zip(rows[^1]).ToDictionary(p => p.First, p => double.IsFinite(p.Second) ? p.Second : (double?)null) : [];
                    var payload = JsonSerializer.Serialize(new { run = run.Run, status = fresh.Status ?? "damaged", rows = rows.Length, epoch = fresh.Manifest?.Epoch, last });
                    await response.WriteAsync($"event: update\ndata: {payload}\n\n", context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }

                if (DateTime.UtcNow - keepAlive > TimeSpan.FromSeconds(15))
                {
                    keepAlive = DateTime.UtcNow;
                    await response.WriteAsync(": alive\n\n", context.RequestAborted);
                    await response.Body.FlushAsync(context.RequestAborted);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away or the server stops.
        }
    }

    private static (long, DateTime) State(BoardData data, TinyDl.Runs.RunEntry run)
    {
        var manifest = Path.Combine(run.Directory, TinyDl.Runs.RunManifest.FileName);
        return (MetricsFile.LengthOf(BoardData.MetricsPath(run)), File.Exists(manifest) ? File.GetLastWriteTimeUtc(manifest) : default);
    }
}
