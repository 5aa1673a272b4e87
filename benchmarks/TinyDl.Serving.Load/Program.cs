using System.Globalization;
using System.Text;
using FashionMnist;
using FashionMnist.Serving;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TinyDl.Serving;
using TinyDl.Serving.Load;
using static TorchSharp.torch;

// Load benchmark of TinyDl.Serving on loopback: 1, 8 and 64 concurrent clients against the Fashion-MNIST
// model served with micro-batching (the defaults: up to 32 samples, 1 ms wait) and without (MaxBatchSize 1),
// and the same model called directly in process at those batch sizes. The cells are interleaved and repeated;
// the table gives medians and the range over the repeats. Bounded: about (6 + 4) x (warm-up + seconds) per repeat.
//   dotnet run -c Release --project benchmarks/TinyDl.Serving.Load -- [--model cnn|mlp] [--run RUN_DIR] [--seconds 3] [--repeats 3]
var settings = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal)).ToDictionary(x => x.a, x => args.ElementAtOrDefault(x.i + 1) ?? "");
var kind = settings.GetValueOrDefault("--model", FashionMnistModel.Cnn);
var seconds = TimeSpan.FromSeconds(double.Parse(settings.GetValueOrDefault("--seconds", "3"), CultureInfo.InvariantCulture));
var repeats = int.Parse(settings.GetValueOrDefault("--repeats", "3"), CultureInfo.InvariantCulture);
var run = settings.GetValueOrDefault("--run");
var warmUp = TimeSpan.FromSeconds(0.5);
int[] clientCounts = [1, 8, 64];

// An untrained model of the same architecture does the same work; --run serves a trained one instead.
ModelSource Source() => run is null ? ModelSource.FromModule(FashionMnistModel.Create(kind, 256)) : ModelSource.FromRun(run, FashionMnistService.Model);

async Task<(WebApplication App, Uri Url)> Serve(string name, int maxBatch)
{
    var builder = WebApplication.CreateSlimBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Services.AddTinyDlModel("fashion", Source(), new ModelServingOptions { InputShape = [FashionMnistData.Pixels], Labels = FashionMnistData.ClassNames, MaxBatchSize = maxBatch });
    var app = builder.Build();
    app.MapTinyDlModels();
    await app.StartAsync();
    Console.Error.WriteLine($"{name}: {app.Urls.First()}");
    return (app, new Uri(app.Urls.First() + "/models/fashion/predict"));
}

var sample = Enumerable.Range(0, FashionMnistData.Pixels).Select(i => (float)((i * 37) % 256) / 255f).ToArray();
var body = Encoding.UTF8.GetBytes($"{{\"inputs\": [{{\"shape\": [1, {sample.Length}], \"data\": [{string.Join(",", sample.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}]}}]}}");
var batched = await Serve("micro-batching (max 32, 1 ms)", 32);
var single = await Serve("one at a time (max batch 1)", 1);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
using var direct = FashionMnistModel.Create(kind, 256);
direct.eval();

var served = new Dictionary<(string, int), List<Cell>>();
var called = new Dictionary<int, List<double>>();
for (var r = 1; r <= repeats; r++)
{
    foreach (var clients in clientCounts)
    {
        foreach (var (mode, url) in new[] { ("on", batched.Url), ("off", single.Url) })
        {
            var cell = await LoadClient.RunAsync(http, url, body, clients, warmUp, seconds);
            (served.TryGetValue((mode, clients), out var list) ? list : served[(mode, clients)] = []).Add(cell);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repeat {r}, batching {mode}, {clients} clients: {cell.RequestsPerSecond:F0} req/s, p50 {cell.P50:F2} ms, p99 {cell.P99:F2} ms, errors {cell.Errors}"));
        }
    }

    foreach (var batch in new[] { 1, 8, 32, 64 })
    {
        var rate = Direct.SamplesPerSecond(direct, sample, batch, warmUp, seconds);
        (called.TryGetValue(batch, out var list) ? list : called[batch] = []).Add(rate);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"repeat {r}, direct batch {batch}: {rate:F0} samples/s"));
    }
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"Model {kind}, {repeats} repeats of {seconds.TotalSeconds:F0} s per cell; medians, [min-max] of the repeats.");
table.AppendLine();
table.AppendLine("| clients | batching on: req/s | p50 ms | p99 ms | batching off: req/s | p50 ms | p99 ms | on / off |");
table.AppendLine("|---|---|---|---|---|---|---|---|");
foreach (var clients in clientCounts)
{
    var on = served[("on", clients)];
    var off = served[("off", clients)];
    string Rate(List<Cell> cells) => string.Create(CultureInfo.InvariantCulture, $"{Median(cells.Select(c => c.RequestsPerSecond)):F0} [{cells.Min(c => c.RequestsPerSecond):F0}-{cells.Max(c => c.RequestsPerSecond):F0}]");
    var ratio = on.Zip(off, (a, b) => a.RequestsPerSecond / b.RequestsPerSecond).ToList();
    table.AppendLine(CultureInfo.InvariantCulture, $"| {clients} | {Rate(on)} | {Median(on.Select(c => c.P50)):F2} | {Median(on.Select(c => c.P99)):F2} | {Rate(off)} | {Median(off.Select(c => c.P50)):F2} | {Median(off.Select(c => c.P99)):F2} | {Median(ratio):F2} [{ratio.Min():F2}-{ratio.Max():F2}] |");
}

table.AppendLine();
table.AppendLine("| direct, batch size | samples/s |");
table.AppendLine("|---|---|");
foreach (var (batch, rates) in called)
{
    table.AppendLine(CultureInfo.InvariantCulture, $"| {batch} | {Median(rates):F0} [{rates.Min():F0}-{rates.Max():F0}] |");
}

Console.WriteLine(table);
var errors = served.Values.SelectMany(c => c).Sum(c => c.Errors);
Console.WriteLine(errors == 0 ? "No request failed." : $"{errors} requests failed.");
await batched.App.StopAsync();
await single.App.StopAsync();
return errors == 0 ? 0 : 1;
