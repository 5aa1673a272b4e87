using System.Net;
using TinyDl.Serving;

namespace TinyDl.Tests.Serving;

/// <summary>The queue in front of the worker: micro-batching, a full queue, clients that go away, shutdown.</summary>
public sealed class QueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Requests_queued_while_a_batch_runs_run_together_as_the_next_batch()
    {
        // Arrange: the worker is held in a batch of one while five more requests queue.
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(ModelSource.FromModule(model), new ModelServingOptions { InputShape = [4], MaxBatchSize = 8, MaxWait = TimeSpan.Zero });
        Hold(model);
        var first = Predict(served, 0);
        await Entered(model);
        var queued = Enumerable.Range(1, 5).Select(i => Predict(served, i)).ToArray();
        await Until(() => served.Model.Statistics.Requests == 6);

        // Act
        model.Gate.Set();
        var answers = await Task.WhenAll([first, .. queued]);

        // Assert: two batches, and every sample's outputs are its own (within the last bits that batching may change).
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.Response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(model.Batches, Is.EqualTo(new long[] { 1, 5 }));
            for (var i = 0; i < answers.Length; i++)
            {
                using var direct = model.Direct(TorchSharp.torch.tensor(Sample(i), [1, 4]));
                Assert.That(Json.Outputs(answers[i].Body!), Is.EqualTo(direct.data<float>().ToArray()).Within(1e-6));
            }
        });
    }

    [Test]
    public async Task A_full_queue_answers_503_with_retry_after()
    {
        // Arrange: one request held in the model, two waiting: the queue of two is full.
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(ModelSource.FromModule(model), new ModelServingOptions { InputShape = [4], MaxBatchSize = 1, QueueCapacity = 2, RetryAfterSeconds = 3 });
        Hold(model);
        var running = Predict(served, 0);
        await Entered(model);
        var waiting = new[] { Predict(served, 1), Predict(served, 2) };
        await Until(() => served.Model.Statistics.Requests == 3);

        // Act
        var (refused, problem) = await Predict(served, 3);
        model.Gate.Set();
        var answered = await Task.WhenAll([running, .. waiting]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(refused.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(3)));
            Assert.That(refused.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string)problem!["detail"]!, Does.Contain("QueueCapacity"));
            Assert.That(answered.Select(a => a.Response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(model.Batches, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task A_request_whose_client_went_away_is_dropped_before_it_runs()
    {
        // Arrange
        using var model = new GatedModel();
        await using var served = await ServingApp.StartAsync(ModelSource.FromModule(model), new ModelServingOptions { InputShape = [4], MaxBatchSize = 1 });
        Hold(model);
        var running = Predict(served, 0);
        await Entered(model);
        using var leaving = new CancellationTokenSource();
        var abandoned = served.Client.PostAsync("/models/m/predict", Json.Content(Json.Request([Sample(1)])), leaving.Token);
        await Until(() => served.Model.Statistics.Requests == 2);

        // Act
        await leaving.CancelAsync();
        Assert.That(async () => await abandoned, Throws.InstanceOf<OperationCanceledException>());
        model.Gate.Set();
        var (response, _) = await running;
        await Until(() => served.Model.Statistics.Dropped == 1);
        var (after, _) = await Predict(served, 2);

        // Assert: the model ran the first request and the one after, never the abandoned one.
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(model.Batches, Is.EqualTo(new long[] { 1, 1 }));
        });
    }

    [Test]
    public async Task Shutting_down_answers_every_queued_request_and_refuses_new_ones()
    {
        // Arrange: three requests wait for the worker when the application is told to stop.
        using var model = new GatedModel();
        var served = await ServingApp.StartAsync(ModelSource.FromModule(model), new ModelServingOptions { InputShape = [4], MaxBatchSize = 1 });
        Hold(model);
        var queued = Enumerable.Range(0, 3).Select(i => Predict(served, i)).ToArray();
        await Entered(model);
        await Until(() => served.Model.Statistics.Requests == 3);

        // Act
        var stopping = served.App.StopAsync();
        await Until(() => served.Model.Status == ServedModelStatus.Stopping);
        var (late, _) = await Predict(served, 3);
        var ready = await served.Client.GetAsync("/readyz");
        model.Gate.Set();
        var answers = await Task.WhenAll(queued);
        await stopping.WaitAsync(Patience);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(answers.Select(a => a.Response.StatusCode), Is.All.EqualTo(HttpStatusCode.OK));
            Assert.That(late.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(model.Batches, Has.Count.EqualTo(3));
            Assert.That(served.Model.Status, Is.EqualTo(ServedModelStatus.Stopped));
        });
        await served.App.DisposeAsync();
    }

    private static float[] Sample(int i) => [i, 1f / (i + 1), -i, 0.5f];

    private static Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonNode? Body)> Predict(ServingApp served, int i) =>
        Json.PostAsync(served.Client, "/models/m/predict", Json.Request([Sample(i)]));

    // Closes the gate after the warm-up, and forgets the warm-up's batches.
    private static void Hold(GatedModel model)
    {
        model.Gate.Reset();
        model.Batches.Clear();
        while (model.Entered.CurrentCount > 0)
        {
            model.Entered.Wait();
        }
    }

    private static async Task Entered(GatedModel model) =>
        Assert.That(await model.Entered.WaitAsync(Patience), Is.True, "the worker never started the first batch");

    private static async Task Until(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
