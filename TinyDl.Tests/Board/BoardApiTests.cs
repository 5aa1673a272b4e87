using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using TinyDl.Runs;

namespace TinyDl.Tests.Board;

public sealed class BoardApiTests
{
    [Test]
    public async Task The_runs_list_has_every_run_with_status_hyperparameters_and_metrics_and_the_damaged_one_as_such()
    {
        // Arrange
        using var sweep = new BoardSweep();
        var done = sweep.Add(0.01, 128, 3);
        var running = sweep.Add(0.001, 256, 2, RunStatus.Running, planned: 5);
        var killed = sweep.Add(0.001, 128, 1, RunStatus.Running, planned: 5);
        sweep.Add(0.01, 256, 3, RunStatus.Failed);
        var damaged = sweep.AddDamaged("sweep/broken");
        await using var board = await BoardApp.StartAsync(sweep.Root);

        // Act
        using var json = JsonDocument.Parse(await board.Client.GetStringAsync("/api/runs"));

        // Assert
        var runs = json.RootElement.GetProperty("runs").EnumerateArray().ToDictionary(r => r.GetProperty("run").GetString()!);
        Assert.Multiple(() =>
        {
            Assert.That(runs.Keys, Is.EquivalentTo(new[] { done, running, killed, BoardSweep.Name(0.01, 256), damaged }));
            Assert.That(runs[done].GetProperty("status").GetString(), Is.EqualTo("completed"));
            Assert.That(runs[running].GetProperty("status").GetString(), Is.EqualTo("running"), "its lock is held");
            Assert.That(runs[BoardSweep.Name(0.01, 256)].GetProperty("status").GetString(), Is.EqualTo("failed"));
            Assert.That(runs[damaged].GetProperty("damaged").GetBoolean(), Is.True);
            Assert.That(runs[damaged].GetProperty("problem").GetString(), Does.Contain("run.json"));
            Assert.That(runs[done].GetProperty("hyperparameters").GetProperty("lr").GetString(), Is.EqualTo("0.01"));
            Assert.That(runs[done].GetProperty("metrics").GetProperty("validation_loss").GetProperty("final").GetDouble(), Is.EqualTo(BoardSweep.ValidationLoss(0.01, 128, 3)).Within(1e-12));
            Assert.That(json.RootElement.GetProperty("damaged").GetInt32(), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task A_hyperparameter_filter_keeps_the_matching_runs_and_a_bad_one_is_refused()
    {
        // Arrange
        using var sweep = new BoardSweep();
        sweep.Add(0.01, 128, 2);
        sweep.Add(0.001, 128, 2);
        sweep.Add(0.001, 256, 2);
        await using var board = await BoardApp.StartAsync(sweep.Root);

        // Act
        using var json = JsonDocument.Parse(await board.Client.GetStringAsync("/api/runs?where=lr=1e-3"));
        using var bad = await board.Client.GetAsync("/api/runs?where=lr");

        // Assert
        var names = json.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run").GetString()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(names, Is.EquivalentTo(new[] { BoardSweep.Name(0.001, 128), BoardSweep.Name(0.001, 256) }));
            Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task The_curves_of_a_metric_are_the_train_and_validation_columns_as_recorded()
    {
        // Arrange
        using var sweep = new BoardSweep();
        var run = sweep.Add(0.01, 128, 4);
        await using var board = await BoardApp.StartAsync(sweep.Root);

        // Act
        using var json = JsonDocument.Parse(await board.Client.GetStringAsync($"/api/curves?run={Uri.EscapeDataString(run)}&metric=loss"));
        using var steps = JsonDocument.Parse(await board.Client.GetStringAsync($"/api/curves?run={Uri.EscapeDataString(run)}&metric=validation_loss&x=step"));

        // Assert
        var series = json.RootElement.GetProperty("series").EnumerateArray().ToDictionary(s => s.GetProperty("column").GetString()!, s => s.GetProperty("points").EnumerateArray().Select(p => (p[0].GetDouble(), p[1].GetDouble())).ToList());
        var byStep = steps.RootElement.GetProperty("series")[0].GetProperty("points").EnumerateArray().Select(p => p[0].GetDouble()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(series.Keys, Is.EquivalentTo(new[] { "train_loss", "validation_loss" }));
            Assert.That(series["train_loss"], Is.EqualTo(Enumerable.Range(1, 4).Select(e => ((double)e, BoardSweep.TrainLoss(0.01, 128, e)))));
            Assert.That(series["validation_loss"], Is.EqualTo(Enumerable.Range(1, 4).Select(e => ((double)e, BoardSweep.ValidationLoss(0.01, 128, e)))));
            Assert.That(byStep, Is.EqualTo(new double[] { 100, 200, 300, 400 }), "100 steps per epoch from run.json");
        });
    }

    [Test]
    public async Task A_run_writing_epochs_while_the_stream_is_watched_sends_an_update_for_each()
    {
        // Arrange
        using var sweep = new BoardSweep();
        var run = sweep.Add(0.01, 128, 1, RunStatus.Running, planned: 3);
        await using var board = await BoardApp.StartAsync(sweep.Root);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var response = await board.Client.GetAsync($"/api/events?run={Uri.EscapeDataString(run)}", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.That(await reader.ReadLineAsync(timeout.Token), Is.EqualTo(": watching"));
        var updates = new List<JsonElement>();

        // Act: two epochs written while the stream is open.
        for (var epoch = 2; epoch <= 3; epoch++)
        {
            sweep.AppendEpoch(0.01, 128, epoch, planned: 3);
            updates.Add(await NextUpdate(reader, epoch, timeout.Token));
        }

        using var curves = JsonDocument.Parse(await board.Client.GetStringAsync($"/api/curves?run={Uri.EscapeDataString(run)}&metric=train_loss"));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(updates.Select(u => u.GetProperty("rows").GetInt32()), Is.EqualTo(new[] { 2, 3 }));
            Assert.That(updates.Select(u => u.GetProperty("status").GetString()), Is.All.EqualTo("running"));
            Assert.That(updates[^1].GetProperty("last").GetProperty("train_loss").GetDouble(), Is.EqualTo(BoardSweep.TrainLoss(0.01, 128, 3)));
            Assert.That(curves.RootElement.GetProperty("series")[0].GetProperty("points").GetArrayLength(), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_thousand_runs_of_fifty_epochs_are_listed_in_under_a_second()
    {
        // Arrange
        using var sweep = new BoardSweep();
        for (var i = 0; i < 1000; i++)
        {
            sweep.Add(0.0001 * (i + 1), 100 + (i % 7), 50);
        }

        await using var board = await BoardApp.StartAsync(sweep.Root);
        await board.Client.GetStringAsync("/api/runs?where=hidden=100");

        // Act
        var clock = Stopwatch.StartNew();
        using var json = JsonDocument.Parse(await board.Client.GetStringAsync("/api/runs"));
        var elapsed = clock.Elapsed;
        TestContext.Out.WriteLine($"1,000 runs listed in {elapsed.TotalMilliseconds:F0} ms");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("count").GetInt32(), Is.EqualTo(1000));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(1)));
        });
    }

    [Test]
    public async Task A_curve_of_a_hundred_thousand_steps_is_downsampled_on_the_server_keeping_its_ends_and_extremes()
    {
        // Arrange: one row per step, with a spike at step 54,321.
        using var sweep = new BoardSweep();
        var run = sweep.Add(0.01, 128, 1);
        var path = Path.Combine(sweep.Root, run, "metrics.csv");
        using (var writer = new StreamWriter(path, append: false))
        {
            writer.Write(BoardSweep.Header + "\n");
            for (var i = 1; i <= 100_000; i++)
            {
                var loss = i == 54_321 ? 9.5 : 1.0 / Math.Sqrt(i);
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{i},{loss:R},0.5,{loss:R},0.5,0.1\n"));
            }
        }

        await using var board = await BoardApp.StartAsync(sweep.Root);

        // Act
        var clock = Stopwatch.StartNew();
        using var json = JsonDocument.Parse(await board.Client.GetStringAsync($"/api/curves?run={Uri.EscapeDataString(run)}&metric=train_loss"));
        var svg = await board.Client.GetStringAsync($"/api/chart.svg?run={Uri.EscapeDataString(run)}&metric=train_loss");
        var elapsed = clock.Elapsed;
        TestContext.Out.WriteLine($"100,000-step curve read, downsampled and drawn in {elapsed.TotalMilliseconds:F0} ms, SVG {svg.Length:N0} characters");

        // Assert
        var series = json.RootElement.GetProperty("series")[0];
        var points = series.GetProperty("points").EnumerateArray().Select(p => (X: p[0].GetDouble(), Y: p[1].GetDouble())).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(series.GetProperty("total").GetInt32(), Is.EqualTo(100_000));
            Assert.That(points, Has.Count.LessThanOrEqualTo(2000).And.Count.GreaterThan(1000));
            Assert.That(points[0], Is.EqualTo((1.0, 1.0)));
            Assert.That(points[^1].X, Is.EqualTo(100_000));
            Assert.That(points, Does.Contain((54_321.0, 9.5)), "the spike survives");
            Assert.That(points.Select(p => p.X), Is.Ordered);
            Assert.That(svg.Length, Is.LessThan(400_000));
        });
    }

    [Test]
    public async Task The_run_page_shows_the_manifest_and_fingerprints_and_files_outside_the_run_are_refused()
    {
        // Arrange
        using var sweep = new BoardSweep();
        var run = sweep.Add(0.01, 128, 2);
        File.WriteAllText(Path.Combine(sweep.Root, "secret.txt"), "not a run file");
        await using var board = await BoardApp.StartAsync(sweep.Root);
        var name = Uri.EscapeDataString(run);

        // Act
        var page = await board.Client.GetStringAsync($"/run?run={name}");
        var csv = await board.Client.GetStringAsync($"/files?run={name}&path=metrics.csv");
        using var outside = await board.Client.GetAsync($"/files?run={name}&path=../../secret.txt");
        using var missing = await board.Client.GetAsync("/run?run=nope");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(page, Does.Contain("id-0.01-128").And.Contain("sha256:train128").And.Contain("validation_loss").And.Contain("metrics.csv"));
            Assert.That(csv, Does.StartWith(BoardSweep.Header));
            Assert.That((int)outside.StatusCode, Is.EqualTo(404));
            Assert.That((int)missing.StatusCode, Is.EqualTo(404));
        });
    }

    private static async Task<JsonElement> NextUpdate(StreamReader reader, int rows, CancellationToken cancellation)
    {
        while (await reader.ReadLineAsync(cancellation) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var update = JsonDocument.Parse(line["data: ".Length..]).RootElement;
                if (update.GetProperty("rows").GetInt32() >= rows)
                {
                    return update;
                }
            }
        }

        throw new EndOfStreamException("The event stream ended.");
    }
}
