namespace TinyDl.Serving.Internal;

/// <summary>One request waiting for the worker: its samples, its client's cancellation and the answer to complete.</summary>
internal sealed class WorkItem(ModelInput input, CancellationToken cancellation)
{
    public ModelInput Input { get; } = input;

    public CancellationToken Cancellation { get; } = cancellation;

    public int Samples => Input.Samples;

    // Completed on the worker thread; continuations must not run there (they would hold up the next batch).
    public TaskCompletionSource<Prediction> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
