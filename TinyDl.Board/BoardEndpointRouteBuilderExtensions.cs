using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;
using TinyDl.Board.Internal;
using TinyDl.Runs;

namespace TinyDl.Board;

/// <summary>Maps the run board: the page at <c>/</c>, a run's page at <c>/run?run=NAME</c>, and the JSON, SVG and event-stream API under <c>/api</c>.</summary>
public static class BoardEndpointRouteBuilderExtensions
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// Maps the board over the runs under <see cref="BoardOptions.Root"/>. It only reads: no lock is taken,
    /// only regular files are opened, and every request scans the directory afresh (a run started later shows up).
    /// </summary>
    /// <param name="endpoints">The application.</param>
    /// <param name="options">The root and limits.</param>
    /// <returns><paramref name="endpoints"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>
    /// <c>GET /api/runs?where=KEY=VALUE</c> lists the runs (status, hyperparameters, best and final metrics; damaged
    /// runs with their problem); <c>GET /api/curves?run=A&amp;run=B&amp;metric=loss&amp;x=epoch|step</c> their curves as JSON;
    /// <c>/api/chart.svg</c> (same query plus <c>log=true</c> and <c>smooth=0..0.99</c>) draws them;
    /// <c>/api/hparams.svg?metric=validation_accuracy&amp;final=true</c> draws the metric against every hyperparameter;
    /// <c>/api/events?run=A</c> streams server-sent <c>update</c> events as the runs write epochs;
    /// <c>/files?run=A&amp;path=predictions/x.png</c> serves a run's file.
    /// </remarks>
    public static IEndpointRouteBuilder MapTinyDlBoard(this IEndpointRouteBuilder endpoints, BoardOptions options)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(options);
        var data = new BoardData(options);
        endpoints.MapGet("/", () => Page("index.html"));
        endpoints.MapGet("/board.js", () => Page("board.js"));
        endpoints.MapGet("/board.css", () => Page("board.css"));
        endpoints.MapGet("/favicon.ico", () => Results.NoContent());
        endpoints.MapGet("/api/runs", (HttpRequest request) =>
        {
            var filters = new List<HyperparameterFilter>();
            foreach (var text in request.Query["where"].OfType<string>())
            {
                try
                {
                    filters.Add(HyperparameterFilter.Parse(text));
                }
                catch (Exception error) when (error is FormatException or ArgumentException)
                {
                    return Results.Problem(error.Message, statusCode: 400);
                }
            }

            return Results.Json(RunJson.List(data.Runs(), filters));
        });
        endpoints.MapGet("/api/curves", (HttpRequest request) =>
        {
            var (runs, metric, bySteps) = CurveQuery(data, request);
            var series = runs.SelectMany(r => data.Curves(r, metric, bySteps)).ToList();
            return Results.Json(new { metric, x = bySteps ? "step" : "epoch", series = series.Select(s => new { run = s.Run, column = s.Column, total = s.Total, downsampled = s.Downsampled, points = s.Points.Select(p => new[] { p.X, p.Y }) }) });
        });
        endpoints.MapGet("/api/chart.svg", (HttpRequest request) =>
        {
            var (runs, metric, bySteps) = CurveQuery(data, request);
            var log = request.Query["log"] == "true";
            var smooth = double.TryParse(request.Query["smooth"], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 0, 0.99) : 0;
            var series = runs.SelectMany(r => data.Curves(r, metric, bySteps)).ToList();
            return Results.Text(Charts.Lines(series, [.. runs.Select(r => r.Run)], bySteps ? "global step" : "epoch", log, smooth), "image/svg+xml");
        });
        endpoints.MapGet("/api/hparams.svg", (HttpRequest request) =>
        {
            var all = data.Runs().Where(r => r.Manifest is not null).ToList();
            var metric = request.Query["metric"].FirstOrDefault() ?? "validation_accuracy";
            var final = request.Query["final"] == "true";
            var keys = all.SelectMany(r => r.Manifest!.Hyperparameters.Keys).Distinct(StringComparer.Ordinal)
                .Where(k => all.Select(r => r.Manifest!.Hyperparameters.TryGetValue(k, out var v) ? BoardData.Text(v) : "").Distinct(StringComparer.Ordinal).Count() > 1)
                .Order(StringComparer.Ordinal).ToList();
            var points = all.Select(r => (r.Run, (IReadOnlyDictionary<string, string>)r.Manifest!.Hyperparameters.ToDictionary(h => h.Key, h => BoardData.Text(h.Value), StringComparer.Ordinal),
                r.Manifest.Metrics.TryGetValue(metric, out var m) ? m.Value(final) : double.NaN)).ToList();
            return Results.Text(Charts.HParams(points, keys, metric), "image/svg+xml");
        });
        endpoints.MapGet("/api/events", (HttpContext context) => LiveUpdates.Stream(context, data, [.. context.Request.Query["run"].OfType<string>()]));
        endpoints.MapGet("/run", (string? run, int? epoch) =>
            data.Find(run) is { } entry ? Results.Content(RunPage.Html(entry, epoch), "text/html; charset=utf-8") : Results.NotFound($"No run '{run}' under {options.Root}."));
        endpoints.MapGet("/files", (string? run, string? path) =>
        {
            if (data.Find(run) is not { } entry || RunFiles.Resolve(entry.Directory, path) is not { } file)
            {
                return Results.NotFound("No such file of a run.");
            }

            var type = ContentTypes.TryGetContentType(file, out var t) ? t : "application/octet-stream";
            return Results.Stream(SafeFile.OpenRead(file), type == "text/csv" ? "text/plain; charset=utf-8" : type);
        });
        return endpoints;
    }

    private static (List<RunEntry> Runs, string Metric, bool BySteps) CurveQuery(BoardData data, HttpRequest request)
    {
        var names = request.Query["run"].OfType<string>().ToHashSet(StringComparer.Ordinal);
        var runs = data.Runs().Where(r => names.Contains(r.Run)).ToList();
        return (runs, request.Query["metric"].FirstOrDefault() ?? "loss", request.Query["x"] == "step");
    }

    private static IResult Page(string name)
    {
        var stream = typeof(BoardOptions).Assembly.GetManifestResourceStream("board/" + name)!;
        var type = name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : name.EndsWith(".css", StringComparison.Ordinal) ? "text/css" : "text/html; charset=utf-8";
        return Results.Stream(stream, type);
    }
}
