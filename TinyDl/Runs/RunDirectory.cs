namespace TinyDl.Runs;

/// <summary>
/// A run's directory, <c>&lt;root&gt;/&lt;experiment name&gt;/</c>, opened for one run: it belongs to exactly
/// one experiment (a <c>run.json</c> of another experiment is refused), it is held by this process alone
/// (<see cref="RunLock"/>, released on dispose), and nothing in it is destroyed unless asked:
/// <see cref="KeepAside"/> moves an earlier run's files into <c>previous-N/</c>, <see cref="Discard"/>
/// deletes them. Open it before creating the run's reporters, so that no file is touched before the checks.
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private readonly RunLock _lock;

    private RunDirectory(string path, Experiment experiment, RunLock held, RunManifest? manifest, string? manifestProblem)
    {
        Path = path;
        Experiment = experiment;
        _lock = held;
        EarlierManifest = manifest;
        EarlierManifestProblem = manifestProblem;
    }

    /// <summary>The run directory (full path).</summary>
    public string Path { get; }

    /// <summary>The experiment the directory belongs to.</summary>
    public Experiment Experiment { get; }

    /// <summary>The manifest an earlier run of this experiment left here, when it is readable; null otherwise.</summary>
    public RunManifest? EarlierManifest { get; }

    /// <summary>Why an earlier <c>run.json</c> could not be read (it is then treated as a damaged run of this experiment); null when there is none or it was read.</summary>
    public string? EarlierManifestProblem { get; }

    /// <summary>The checkpoint directory, <c>checkpoints/</c>.</summary>
    public string Checkpoints => System.IO.Path.Combine(Path, "checkpoints");

    /// <summary>Whether files of an earlier run are here (anything but the lock and kept-aside runs).</summary>
    public bool HasEarlierRun => EarlierEntries().Any();

    /// <summary>
    /// Opens the run directory of <paramref name="experiment"/> under <paramref name="root"/>: creates it when
    /// missing, takes its lock, and checks that an earlier <c>run.json</c> there belongs to the same experiment.
    /// </summary>
    /// <param name="root">The directory of the runs, such as <c>runs/fashion-mnist</c>.</param>
    /// <param name="experiment">The experiment.</param>
    /// <returns>The open directory; dispose it after the run to release the lock.</returns>
    /// <exception cref="RunDirectoryInUseException">Another live process runs this experiment here.</exception>
    /// <exception cref="RunDirectoryMismatchException">The directory's <c>run.json</c> is another experiment's.</exception>
    /// <exception cref="RunDirectoryException">The directory cannot be created or written (a file in its place, read-only, disk full).</exception>
    public static RunDirectory Open(string root, Experiment experiment)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(experiment);
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, experiment.Name));
        if (File.Exists(root) || File.Exists(path))
        {
            throw new RunDirectoryException($"Cannot create the run directory '{path}': '{(File.Exists(root) ? System.IO.Path.GetFullPath(root) : path)}' is a file. Choose another --out directory.", path);
        }

        var held = RunLock.Acquire(path);
        try
        {
            var (manifest, problem) = ReadManifest(path);
            if (manifest is not null && manifest.ExperimentId != experiment.Id)
            {
                throw new RunDirectoryMismatchException(path, experiment, manifest.Name, manifest.ExperimentId);
            }

            return new RunDirectory(path, experiment, held, manifest, problem);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>Moves an earlier run's files into the next free <c>previous-N/</c> folder of the run directory.</summary>
    /// <returns>The folder they were moved to, or null when there was nothing to keep.</returns>
    /// <exception cref="RunDirectoryException">A file cannot be moved.</exception>
    public string? KeepAside()
    {
        var entries = EarlierEntries().ToList();
        if (entries.Count == 0)
        {
            return null;
        }

        try
        {
            return KeptAside.Move(Path, entries);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new RunDirectoryException($"Cannot keep the earlier run in '{Path}' aside: {error.Message}", Path, error);
        }
    }

    /// <summary>Deletes an earlier run's files (not the folders kept aside before): the explicit choice to start over.</summary>
    /// <returns>How many files and folders were deleted.</returns>
    /// <exception cref="RunDirectoryException">A file cannot be deleted.</exception>
    public int Discard()
    {
        var entries = EarlierEntries().ToList();
        try
        {
            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))
                {
                    Directory.Delete(entry, recursive: true);
                }
                else
                {
                    File.Delete(entry);
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new RunDirectoryException($"Cannot delete the earlier run in '{Path}': {error.Message}", Path, error);
        }

        return entries.Count;
    }

    /// <summary>Releases the run directory's lock.</summary>
    public void Dispose() => _lock.Dispose();

    private static (RunManifest? Manifest, string? Problem) ReadManifest(string path)
    {
        var file = System.IO.Path.Combine(path, RunManifest.FileName);
        if (!System.IO.Path.Exists(file))
        {
            return (null, null);
        }

        try
        {
            return (RunManifest.Read(file), null);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (null, error.Message);
        }
    }

    private IEnumerable<string> EarlierEntries() =>
        Directory.EnumerateFileSystemEntries(Path)
            .Where(e => System.IO.Path.GetFileName(e) is var name && name != RunLock.FileName && name != RunLock.OwnerFileName && !name.StartsWith("previous-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
