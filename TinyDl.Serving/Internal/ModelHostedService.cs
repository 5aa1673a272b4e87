using Microsoft.Extensions.Hosting;

namespace TinyDl.Serving.Internal;

/// <summary>Starts every served model with the application (loading and warming it up) and stops it on shutdown, draining its queue.</summary>
internal sealed class ModelHostedService(ServedModels models, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _stopping;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Readiness turns false as soon as shutdown begins, before the queues are drained.
        _stopping = lifetime.ApplicationStopping.Register(() =>
        {
            foreach (var model in models.All)
            {
                model.BeginStopping();
            }
        });
        foreach (var model in models.All)
        {
            await model.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(models.All.Select(model => model.StopAsync(cancellationToken))).ConfigureAwait(false);
    }
}
