namespace TinyDl.Examples;

/// <summary>The exit codes of the examples and of <c>tinydl</c>, as the README lists them.</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for ran: runs completed (or early stopping ended them).</summary>
    public const int Success = 0;

    /// <summary>A run failed: a non-finite loss or monitored metric, a failing reporter, or an unexpected error.</summary>
    public const int RunFailed = 1;

    /// <summary>The command line is wrong.</summary>
    public const int Usage = 2;

    /// <summary>The data is missing, unreadable or malformed.</summary>
    public const int Data = 3;

    /// <summary>The run directory cannot be used: in use by another process, another experiment's, or a checkpoint that cannot be resumed.</summary>
    public const int RunDirectory = 4;

    /// <summary>A file could not be written or read: disk full, read-only, permissions.</summary>
    public const int Storage = 5;

    /// <summary>
    /// A sweep worker (<c>--sweep FILE</c>) was stopped by SIGUSR1 or SIGTERM (a scheduler's preemption warning):
    /// its run finished the current batch, kept its last checkpoint and marked itself stopped. Requeue the
    /// worker (<c>scontrol requeue $SLURM_JOB_ID</c>, or let Kubernetes restart the pod): the same command
    /// resumes it. 75 is <c>EX_TEMPFAIL</c> of sysexits.h: try again later.
    /// </summary>
    public const int Requeue = 75;

    /// <summary>Stopped by Ctrl+C or SIGTERM; the run's checkpoint is kept, and the same command with <c>--resume</c> continues.</summary>
    public const int Stopped = 130;
}
