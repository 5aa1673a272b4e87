using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TinyDl.Serving.Internal;

/// <summary>Readiness: healthy once every served model is loaded and warmed up, unhealthy while loading, failed or stopping.</summary>
internal sealed class ModelsReadyCheck(ServedModels models) : IHealthCheck
{
    public const string Name = "tinydl-models";
    public const string Tag = "tinydl-ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var statuses = models.All.ToDictionary(m => m.Name, m => (object)m.Status.ToString().ToLowerInvariant());
        var waiting = models.All.Where(m => m.Status != ServedModelStatus.Ready).Select(m => $"{m.Name} is {statuses[m.Name]}").ToList();
        return Task.FromResult(waiting.Count == 0
            ? HealthCheckResult.Healthy("Every model is ready.", statuses)
            : HealthCheckResult.Unhealthy(string.Join("; ", waiting), data: statuses));
    }
}
