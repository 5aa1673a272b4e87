namespace TinyDl.Serving;

/// <summary>The weights a served model runs with, as loaded and checked.</summary>
/// <param name="Path">The weights file's full path.</param>
/// <param name="Sha256">The SHA-256 of the bytes that were loaded, lower-case hex.</param>
/// <param name="Epoch">The epoch whose weights they are, when known.</param>
/// <param name="Choice"><c>best</c> or <c>last</c>, when known.</param>
/// <param name="LoadedAt">When they were loaded.</param>
public sealed record ServedWeights(string Path, string Sha256, int? Epoch, string? Choice, DateTimeOffset LoadedAt);
