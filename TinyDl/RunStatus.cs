namespace TinyDl;

/// <summary>How a run ended (or that it has not ended yet).</summary>
public enum RunStatus
{
    /// <summary>The run is in progress.</summary>
    Running,

    /// <summary>The run trained every epoch it was asked for.</summary>
    Completed,

    /// <summary>A subscriber or a cancellation token asked the run to stop, and it stopped cleanly.</summary>
    Stopped,

    /// <summary>An exception ended the run.</summary>
    Failed,
}
