using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace TinyDl.Board.Internal;

/// <summary>
/// Server-rendered SVG charts. Every drawn series carries its recorded values in <c>data-points</c>
/// (JSON [[x, y], ...], before smoothing), its run in <c>data-run</c> and its column in <c>data-column</c>,
/// so a page or a test reads what is drawn without reading pixels.
/// </summary>
internal static class Charts
{
    private const int Width = 940;
    private const int Height = 340;
    private const int Left = 64;
    private const int Right = 300;
    private const int Top = 16;
    private const int Bottom = 36;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

    public static string Lines(IReadOnlyList<Series> series, IReadOnlyList<string> runs, string xLabel, bool log, double smoothing)
    {
        var svg = Open("curves");
        var drawn = series.Where(s => s.Points.Count > 0).ToList();
        var values = drawn.SelectMany(s => s.Points).Where(p => !log || p.Y > 0).ToList();
        if (values.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height / 2}\">No values yet for the selected runs.</text>");
            return Close(svg);
        }

        double Y(double v) => log ? Math.Log10(v) : v;
        var (x0, x1) = Range(values.Select(p => p.X));
        var (y0, y1) = Range(values.Select(p => Y(p.Y)));
        double Px(double x) => Left + ((x - x0) / (x1 - x0) * (Width - Left - Right));
        double Py(double y) => Height - Bottom - ((Y(y) - y0) / (y1 - y0) * (Height - Top - Bottom));
        Axes(svg, x0, x1, y0, y1, xLabel, log);
        var legend = 0;
        foreach (var s in drawn)
        {
            var color = Colors[Math.Max(0, runs.ToList().IndexOf(s.Run)) % Colors.Length];
            var dash = s.Column.StartsWith("train", StringComparison.Ordinal) ? "" : s.Column.StartsWith("test", StringComparison.Ordinal) ? "2,3" : "6,3";
            var points = s.Points.Where(p => !log || p.Y > 0).ToList();
            var smoothed = Smooth(points, smoothing);
            var data = JsonSerializer.Serialize(points.Select(p => new[] { p.X, p.Y }));
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"series\" data-run=\"{Attr(s.Run)}\" data-column=\"{Attr(s.Column)}\" data-total=\"{s.Total}\" data-downsampled=\"{(s.Downsampled ? "true" : "false")}\" data-points=\"{Attr(data)}\">");
            if (smoothing > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-opacity=\"0.25\" stroke-dasharray=\"{dash}\" points=\"{Path(points, Px, Py)}\"/>");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.8\" stroke-dasharray=\"{dash}\" points=\"{Path(smoothed, Px, Py)}\"/>");
            if (points.Count <= 60)
            {
                foreach (var p in points)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Px(p.X):0.#}\" cy=\"{Py(p.Y):0.#}\" r=\"2.5\" fill=\"{color}\"><title>{Text($"{s.Run} {s.Column}: {p.Y:G6} at {p.X:G6}")}</title></circle>");
                }
            }

            svg.Append("</g>");
            var ly = Top + 8 + (legend++ * 16);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Width - Right + 10}\" x2=\"{Width - Right + 34}\" y1=\"{ly}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\" stroke-dasharray=\"{dash}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right + 38}\" y=\"{ly + 4}\" font-size=\"10\">{Text(Short(s.Run) + " " + s.Column)}</text>");
        }

        return Close(svg);
    }

    /// <summary>One scatter panel per hyperparameter: the metric of every run against its value (numbers on a scale, other values as categories).</summary>
    public static string HParams(IReadOnlyList<(string Run, IReadOnlyDictionary<string, string> Values, double Metric)> runs, IReadOnlyList<string> keys, string metric)
    {
        const int panel = 200;
        const int panelHeight = 180;
        var width = Math.Max(1, keys.Count) * (panel + 20) + 40;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"hparams-chart\" width=\"{width}\" height=\"{panelHeight + 60}\" font-family=\"sans-serif\" font-size=\"11\">");
        var finite = runs.Where(r => double.IsFinite(r.Metric)).ToList();
        if (finite.Count == 0 || keys.Count == 0)
        {
            svg.Append("<text x=\"10\" y=\"30\">No run records this metric yet.</text>");
            return Close(svg);
        }

        var (y0, y1) = Range(finite.Select(r => r.Metric));
        var best = finite.MaxBy(r => r.Metric).Run;
        for (var k = 0; k < keys.Count; k++)
        {
            var key = keys[k];
            var ox = 50 + (k * (panel + 20));
            var raw = finite.Select(r => r.Values.TryGetValue(key, out var v) ? v : "").ToList();
            var numeric = raw.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            var categories = raw.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var numbers = numeric ? raw.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList() : [];
            var logScale = numeric && numbers.All(n => n > 0) && numbers.Max() / numbers.Min() >= 100;
            var (x0, x1) = numeric ? Range(numbers.Select(n => logScale ? Math.Log10(n) : n)) : (0, 1);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"hparam\" data-key=\"{Attr(key)}\"><rect x=\"{ox}\" y=\"20\" width=\"{panel}\" height=\"{panelHeight}\" fill=\"#fafafa\" stroke=\"#ccc\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{ox + (panel / 2)}\" y=\"{panelHeight + 40}\" text-anchor=\"middle\">{Text(key)}{(logScale ? " (log)" : "")}</text>");
            for (var i = 0; i < finite.Count; i++)
            {
                var x = numeric
                    ? ox + 10 + (((logScale ? Math.Log10(numbers[i]) : numbers[i]) - x0) / (x1 - x0) * (panel - 20))
                    : ox + ((categories.IndexOf(raw[i]) + 0.5) / categories.Count * panel);
                var y = 20 + panelHeight - 8 - ((finite[i].Metric - y0) / (y1 - y0) * (panelHeight - 16));
                var color = finite[i].Run == best ? "#d62728" : "#1f77b4";
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"point\" cx=\"{x:0.#}\" cy=\"{y:0.#}\" r=\"4\" fill=\"{color}\" fill-opacity=\"0.7\" data-run=\"{Attr(finite[i].Run)}\" data-value=\"{Attr(raw[i])}\" data-metric=\"{finite[i].Metric.ToString("R", CultureInfo.InvariantCulture)}\"><title>{Text($"{finite[i].Run}: {metric} {finite[i].Metric:G6}")}</title></circle>");
            }

            svg.Append("</g>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"8\" y=\"14\">{Text(metric)}: {y0:G4} (bottom) to {y1:G4} (top); red: best run</text>");
        return Close(svg);
    }

    private static StringBuilder Open(string id) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}-chart\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"11\">");

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Axes(StringBuilder svg, double x0, double x1, double y0, double y1, string xLabel, bool log)
    {
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"#fcfcfc\" stroke=\"#bbb\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var y = Height - Bottom - (i / 4.0 * (Height - Top - Bottom));
            var value = y0 + (i / 4.0 * (y1 - y0));
            var label = log ? Math.Pow(10, value) : value;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#eee\"/><text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{label:G4}</text>");
            var x = Left + (i / 4.0 * (Width - Left - Right));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{x0 + (i / 4.0 * (x1 - x0)):G6}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 4}\" text-anchor=\"middle\">{Text(xLabel)}{(log ? ", log scale" : "")}</text>");
    }

    // TensorBoard's smoothing: an exponential moving average, debiased so the curve starts at the first value.
    private static List<(double X, double Y)> Smooth(List<(double X, double Y)> points, double weight)
    {
        if (weight <= 0)
        {
            return points;
        }

        var result = new List<(double, double)>(points.Count);
        double last = 0;
        for (var i = 0; i < points.Count; i++)
        {
            last = (last * weight) + ((1 - weight) * points[i].Y);
            result.Add((points[i].X, last / (1 - Math.Pow(weight, i + 1))));
        }

        return result;
    }

    private static string Path(IEnumerable<(double X, double Y)> points, Func<double, double> px, Func<double, double> py) =>
        string.Join(" ", points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{px(p.X):0.#},{py(p.Y):0.#}")));

    private static (double Low, double High) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        var (low, high) = (list.Min(), list.Max());
        if (high - low < 1e-12)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }

        var pad = (high - low) * 0.04;
        return (low - pad, high + pad);
    }

    private static string Short(string run) => run.Length <= 40 ? run : "…" + run[^39..];

    private static string Text(string text) => WebUtility.HtmlEncode(text);

    private static string Attr(string text) => WebUtility.HtmlEncode(text);
}
