namespace TinyDl.Runs;

/// <summary>One run directory found by <see cref="Highscores"/>: its manifest, or why it could not be read.</summary>
/// <param name="Run">The run directory relative to the scanned directory, with <c>/</c> between levels (<c>sweep/lr=0.001</c>).</param>
/// <param name="Directory">The run directory's full path.</param>
/// <param name="Manifest">The manifest; null when the run is damaged.</param>
/// <param name="Problem">Why the manifest could not be read (missing, empty, not JSON, ...); null when it was.</param>
public sealed record RunEntry(string Run, string Directory, RunManifest? Manifest, string? Problem)
{
    /// <summary>Whether the manifest could not be read; <see cref="Problem"/> says why.</summary>
    public bool IsDamaged => Manifest is null;

    /// <summary>Whether a live process held the run's lock when it was scanned (<see cref="RunLock.IsHeld"/>).</summary>
    public bool Live { get; init; }

    /// <summary>The run's status as people should read it: the manifest's, except that a run whose manifest
    /// says <c>running</c> but whose lock nobody holds was killed: <c>interrupted</c>. Null for a damaged run.</summary>
    public string? Status => Manifest?.Status switch
    {
        null => null,
        RunStatus.Running when !Live => "interrupted",
        var status => status.Value.ToString().ToLowerInvariant(),
    };
}
