namespace TinyDl.Serving;

/// <summary>Where a served model is in its life.</summary>
public enum ServedModelStatus
{
    /// <summary>Loading and warming up; requests are answered 503.</summary>
    Loading,

    /// <summary>Loaded, warmed up and answering requests.</summary>
    Ready,

    /// <summary>The application is stopping: queued requests are still answered, new ones get 503.</summary>
    Stopping,

    /// <summary>Stopped: the queue is drained and the worker has ended.</summary>
    Stopped,

    /// <summary>Loading failed (see <see cref="ServedModel.Error"/>).</summary>
    Failed,
}
