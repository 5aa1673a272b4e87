using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using TinyDl.Board;
using TinyDl.Runs;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Board;

/// <summary>The board's page in a real browser (Debian's Chromium through Playwright) on Kestrel bound to 127.0.0.1.</summary>
[NonParallelizable]
public sealed class BoardPageTests
{
    [Test]
    public async Task Two_selected_runs_draw_their_recorded_values_and_a_training_run_gains_a_point_live()
    {
        // Arrange: a small sweep, one run still training (its lock held), the board on a free loopback port.
        using var sweep = new BoardSweep();
        var first = sweep.Add(0.01, 128, 4);
        var second = sweep.Add(0.001, 128, 4);
        sweep.Add(0.001, 256, 4, RunStatus.Stopped);
        var training = sweep.Add(0.01, 256, 2, RunStatus.Running, planned: 5);
        sweep.AddDamaged("sweep/broken");
        await using var app = BoardServer.Create(new BoardOptions { Root = sweep.Root, PollInterval = TimeSpan.FromMilliseconds(200) }, port: 0);
        await app.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };

        // Act: select two runs and read the chart's data.
        await page.GotoAsync(app.Urls.First() + "/");
        await page.Locator("body[data-loaded=true]").WaitForAsync();
        await page.Locator($"input.select[data-run=\"{first}\"]").CheckAsync();
        await page.Locator($"input.select[data-run=\"{second}\"]").CheckAsync();
        await page.WaitForFunctionAsync("document.querySelectorAll('#chart g.series').length === 4");
        var drawn = await Series(page);
        var rows = await page.Locator("#runs tbody tr").CountAsync();
        var damaged = await page.Locator("#runs tbody tr.damaged").InnerTextAsync();

        // Act: select the training run, then it writes epoch 3.
        await page.Locator($"input.select[data-run=\"{training}\"]").CheckAsync();
        await page.Locator("#live.on").WaitForAsync();
        await page.WaitForFunctionAsync("document.querySelectorAll('#chart g.series').length === 6");
        var before = (await Series(page))[(training, "train_loss")].Count;
        var written = DateTime.UtcNow;
        sweep.AppendEpoch(0.01, 256, 3, planned: 5);
        await page.WaitForFunctionAsync(
            $"[...document.querySelectorAll('#chart g.series')].some(g => g.dataset.run === {JsonSerializer.Serialize(training)} && g.dataset.column === 'train_loss' && JSON.parse(g.dataset.points).length === {before + 1})",
            null,
            new PageWaitForFunctionOptions { Timeout = 5_000 });
        var gained = DateTime.UtcNow - written;
        TestContext.Out.WriteLine($"The training run's new epoch was drawn {gained.TotalMilliseconds:F0} ms after it was written.");
        var after = await Series(page);
        await Browser.AttachScreenshotAsync(page, "board");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(drawn.Keys, Is.EquivalentTo(new[] { (first, "train_loss"), (first, "validation_loss"), (second, "train_loss"), (second, "validation_loss") }));
            Assert.That(drawn[(first, "train_loss")], Is.EqualTo(Enumerable.Range(1, 4).Select(e => ((double)e, BoardSweep.TrainLoss(0.01, 128, e)))));
            Assert.That(drawn[(second, "validation_loss")], Is.EqualTo(Enumerable.Range(1, 4).Select(e => ((double)e, BoardSweep.ValidationLoss(0.001, 128, e)))));
            Assert.That(after[(training, "train_loss")][^1], Is.EqualTo((3.0, BoardSweep.TrainLoss(0.01, 256, 3))));
            Assert.That(gained, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(rows, Is.EqualTo(5));
            Assert.That(damaged, Does.Contain("sweep/broken"));
            Assert.That(errors, Is.Empty);
        });
        await app.StopAsync();
    }

    [Test]
    public async Task The_run_page_shows_the_manifest_and_the_prediction_images_of_the_chosen_epoch()
    {
        // Arrange: a run with the prediction reporters' files for epoch 2.
        using var sweep = new BoardSweep();
        var run = sweep.Add(0.01, 128, 2);
        using (var predictions = new TinyDl.Tests.Reporters.PredictionRun())
        {
            var target = Path.Combine(sweep.Root, run, "predictions");
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(Path.Combine(predictions.Directory, "predictions")))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        await using var app = BoardServer.Create(new BoardOptions { Root = sweep.Root }, port: 0);
        await app.StartAsync();
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync();

        // Act
        await page.GotoAsync(app.Urls.First() + "/run?run=" + Uri.EscapeDataString(run));
        var sizes = await page.EvaluateAsync<int[][]>("Promise.all([...document.querySelectorAll('img.prediction')].map(i => i.decode().then(() => [i.naturalWidth, i.naturalHeight])))");
        var alts = await page.Locator("img.prediction").EvaluateAllAsync<string[]>("l => l.map(i => i.alt)");
        var manifest = await page.Locator("#manifest").InnerTextAsync();
        await Browser.AttachScreenshotAsync(page, "board-run");

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(alts, Is.EqualTo(new[] { "validation confusion", "validation worst", "validation correct" }));
            Assert.That(sizes, Has.Length.EqualTo(3).And.All.Matches<int[]>(s => s[0] > 50 && s[1] > 50));
            Assert.That(manifest, Does.Contain("id-0.01-128"));
            Assert.That(page.Locator("table.confused tr"), Is.Not.Null);
        });
        await app.StopAsync();
    }

    private static async Task<Dictionary<(string Run, string Column), List<(double X, double Y)>>> Series(IPage page)
    {
        var series = await page.Locator("#chart g.series").EvaluateAllAsync<string[][]>("l => l.map(g => [g.dataset.run, g.dataset.column, g.dataset.points])");
        return series.ToDictionary(
            s => (s[0], s[1]),
            s => JsonSerializer.Deserialize<double[][]>(s[2])!.Select(p => (p[0], p[1])).ToList());
    }
}
