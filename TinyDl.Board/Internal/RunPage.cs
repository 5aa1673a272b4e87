using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TinyDl.Runs;

namespace TinyDl.Board.Internal;

/// <summary>The page of one run, rendered on the server: its manifest, metrics, the prediction images of a chosen epoch, and links to its files.</summary>
internal static partial class RunPage
{
    private const string Predictions = "predictions";

    public static string Html(RunEntry run, int? epoch)
    {
        var html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(run.Run)).Append(" - TinyDl board</title><link rel=\"stylesheet\" href=\"board.css\"></head><body>")
            .Append("<p><a href=\"./\">&larr; all runs</a></p><h1 id=\"run-name\">").Append(E(run.Run)).Append("</h1>");
        html.Append(CultureInfo.InvariantCulture, $"<p>Status: <b id=\"run-status\" class=\"status {E(run.Status ?? "damaged")}\">{E(run.Status ?? "damaged")}</b></p>");
        if (run.Manifest is not { } m)
        {
            html.Append("<p class=\"problem\">Damaged: ").Append(E(run.Problem ?? "")).Append("</p>");
            Files(html, run);
            return html.Append("</body></html>").ToString();
        }

        html.Append("<h2>Manifest</h2><table id=\"manifest\">");
        Row(html, "experiment id", m.ExperimentId);
        Row(html, "seed", m.Seed?.ToString(CultureInfo.InvariantCulture));
        Row(html, "stop reason", m.StopReason);
        Row(html, "error", m.Error);
        Row(html, "started", m.StartedAt.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "updated", m.UpdatedAt.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "ended", m.EndedAt?.ToString("u", CultureInfo.InvariantCulture));
        Row(html, "elapsed", m.Elapsed.ToString("c", CultureInfo.InvariantCulture));
        Row(html, "epoch", string.Create(CultureInfo.InvariantCulture, $"{m.Epoch} of {m.Epochs} (global step {m.GlobalStep})"));
        foreach (var (key, value) in m.Hyperparameters.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            Row(html, "hyperparameter " + key, BoardData.Text(value));
        }

        html.Append("</table><h2>Data fingerprints</h2><table id=\"fingerprints\">");
        foreach (var (split, fingerprint) in m.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            Row(html, split, fingerprint);
        }

        html.Append("</table>");
        Section(html, "Model", m.Model);
        Section(html, "Versions", m.Versions);
        Section(html, "Machine", m.Machine);
        Section(html, "Weights", m.Weights);
        html.Append("<h2>Metrics</h2><table id=\"metrics\"><tr><th>metric</th><th>final</th><th>best</th><th>best epoch</th></tr>");
        foreach (var (name, summary) in m.Metrics.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(name)}</td><td>{summary.Final:G6}</td><td>{summary.Best:G6}</td><td>{summary.BestEpoch}</td></tr>");
        }

        html.Append("</table>");
        PredictionImages(html, run, epoch);
        Files(html, run);
        return html.Append("</body></html>").ToString();
    }

    private static void PredictionImages(StringBuilder html, RunEntry run, int? epoch)
    {
        var folder = Path.Combine(run.Directory, Predictions);
        var files = Directory.Exists(folder) ? Directory.GetFiles(folder).Select(Path.GetFileName).OfType<string>().ToList() : [];
        var epochs = files.Select(f => PredictionName().Match(f)).Where(x => x.Success).Select(x => int.Parse(x.Groups[2].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        html.Append("<h2>Predictions</h2>");
        if (epochs.Count == 0)
        {
            html.Append("<p>No prediction files (add ConfusionMatrixReporter and PredictionGridReporter to the run).</p>");
            return;
        }

        var chosen = epoch is { } e && epochs.Contains(e) ? e : epochs[^1];
        html.Append("<p id=\"epochs\">Epoch: ");
        foreach (var x in epochs)
        {
            html.Append(x == chosen
                ? string.Create(CultureInfo.InvariantCulture, $"<b>{x}</b> ")
                : string.Create(CultureInfo.InvariantCulture, $"<a href=\"run?run={U(run.Run)}&amp;epoch={x}\">{x}</a> "));
        }

        html.Append("</p>");
        foreach (var stage in new[] { "validation", "test" })
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"{stage}-epoch-{chosen:0000}-");
            if (!files.Any(f => f.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            html.Append("<h3>").Append(stage).Append("</h3><div class=\"images\">");
            foreach (var kind in new[] { "confusion", "worst", "correct" })
            {
                var name = prefix + kind + ".png";
                if (files.Contains(name))
                {
                    html.Append(CultureInfo.InvariantCulture, $"<figure><img class=\"prediction {kind}\" alt=\"{stage} {kind}\" src=\"files?run={U(run.Run)}&amp;path={U(Predictions + "/" + name)}\"><figcaption>{kind}</figcaption></figure>");
                }
            }

            html.Append("</div>");
            var pairs = Path.Combine(folder, prefix + "confused.csv");
            if (SafeFile.IsRegularFile(pairs))
            {
                html.Append("<table class=\"confused\"><tr><th>true</th><th>predicted as</th><th>count</th></tr>");
                foreach (var line in Encoding.UTF8.GetString(SafeFile.ReadAllBytes(pairs, 1 << 20)).Split('\n').Skip(1).Where(l => l.Length > 0))
                {
                    html.Append("<tr><td>").Append(string.Join("</td><td>", line.Split(',').Select(E))).Append("</td></tr>");
                }

                html.Append("</table>");
            }
        }
    }

    private static void Files(StringBuilder html, RunEntry run)
    {
        html.Append("<h2>Files</h2><ul id=\"files\">");
        foreach (var file in RunFiles.List(run.Directory))
        {
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"files?run={U(run.Run)}&amp;path={U(file.Path)}\">{E(file.Path)}</a> ({file.Bytes:N0} bytes)</li>");
        }

        html.Append("</ul>");
    }

    private static void Section(StringBuilder html, string title, object? value)
    {
        if (value is null)
        {
            return;
        }

        html.Append("<h2>").Append(title).Append("</h2><table class=\"section\">");
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(value));
        foreach (var property in json.RootElement.EnumerateObject())
        {
            Row(html, property.Name, property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText());
        }

        html.Append("</table>");
    }

    private static void Row(StringBuilder html, string key, string? value)
    {
        if (value is not null)
        {
            html.Append("<tr><th>").Append(E(key)).Append("</th><td>").Append(E(value)).Append("</td></tr>");
        }
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string U(string text) => Uri.EscapeDataString(text);

    [GeneratedRegex(@"^(validation|test)-epoch-(\d{4})-")]
    private static partial Regex PredictionName();
}
