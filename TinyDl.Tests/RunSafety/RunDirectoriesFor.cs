using TinyDl.Runs;

namespace TinyDl.Tests.RunSafety;

/// <summary>Hand-made manifests for run-directory tests.</summary>
internal static class RunDirectoriesFor
{
    public static RunManifest Manifest(string name, string experimentId) => new()
    {
        Name = name,
        ExperimentId = experimentId,
        Status = RunStatus.Completed,
        StartedAt = DateTimeOffset.UnixEpoch,
        Epoch = 1,
        Epochs = 1,
    };
}
