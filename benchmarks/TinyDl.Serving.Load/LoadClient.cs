using System.Diagnostics;
using System.Net.Http.Headers;

namespace TinyDl.Serving.Load;

/// <summary>N concurrent clients on loopback, each sending one request after the other for a fixed time; bounded in time, stops by itself.</summary>
internal static class LoadClient
{
    public static async Task<Cell> RunAsync(HttpClient http, Uri url, byte[] body, int clients, TimeSpan warmUp, TimeSpan duration)
    {
        await Hammer(http, url, body, clients, warmUp).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var results = await Hammer(http, url, body, clients, duration).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        return new Cell(latencies.Length / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99), results.Sum(r => r.Errors));
    }

    private static async Task<(List<double> Latencies, int Errors)[]> Hammer(HttpClient http, Uri url, byte[] body, int clients, TimeSpan duration)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        return await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var latencies = new List<double>();
            var errors = 0;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var sent = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync(url, content).ConfigureAwait(false);
                await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                }
                else
                {
                    errors++;
                }
            }

            return (latencies, errors);
        }))).ConfigureAwait(false);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>One measurement: requests per second, median and 99th-percentile latency in milliseconds, failed requests.</summary>
internal sealed record Cell(double RequestsPerSecond, double P50, double P99, int Errors);
