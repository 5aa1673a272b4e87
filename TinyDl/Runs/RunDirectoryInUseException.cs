namespace TinyDl.Runs;

/// <summary>Another live process holds the run directory's lock; its run was not touched.</summary>
public sealed class RunDirectoryInUseException : RunDirectoryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="path">The run directory.</param>
    /// <param name="owner">Who holds it, as the holder recorded; null when it could not be read.</param>
    public RunDirectoryInUseException(string path, RunLockOwner? owner)
        : base(
            $"The run directory '{path}' is in use by {(owner is null ? "another process" : $"process {owner.ProcessId} on {owner.Host} (since {owner.Since:u})")}; "
            + "wait for it to finish, stop it, or run this experiment into another --out directory.",
            path)
    {
        Owner = owner;
    }

    /// <summary>The process that holds the directory, when known.</summary>
    public RunLockOwner? Owner { get; }
}
