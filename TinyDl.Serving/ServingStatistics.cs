namespace TinyDl.Serving;

/// <summary>What a served model has done since it started; a snapshot.</summary>
/// <param name="Requests">Requests accepted into the queue.</param>
/// <param name="Batches">Batches the model ran.</param>
/// <param name="Samples">Samples the model ran (over all batches).</param>
/// <param name="Dropped">Requests whose client had gone away, dropped before they ran.</param>
/// <param name="Rejected">Requests refused because the queue was full.</param>
/// <param name="Reloads">Times new weights were loaded while serving.</param>
public sealed record ServingStatistics(long Requests, long Batches, long Samples, long Dropped, long Rejected, long Reloads);
