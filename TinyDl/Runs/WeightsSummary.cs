namespace TinyDl.Runs;

/// <summary>
/// The weights file a run left for use (serving, evaluation), as the manifest records it: which file in
/// the run directory, its SHA-256, and which epoch's weights it holds.
/// </summary>
/// <param name="File">The file's path relative to the run directory, such as <c>model.bin</c>.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, lower-case hex (as <c>sha256sum</c> prints it).</param>
/// <param name="Epoch">The epoch whose weights the file holds, when known.</param>
/// <param name="Choice">Which weights: <c>best</c> (of the monitored metric) or <c>last</c>.</param>
public sealed record WeightsSummary(string File, string Sha256, int? Epoch, string Choice);
