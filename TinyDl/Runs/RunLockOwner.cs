namespace TinyDl.Runs;

/// <summary>Who holds a run directory, as the holder wrote it next to the lock.</summary>
/// <param name="ProcessId">The holder's process id.</param>
/// <param name="Host">The holder's machine name.</param>
/// <param name="Since">When it took the lock.</param>
public sealed record RunLockOwner(int ProcessId, string Host, DateTimeOffset Since);
