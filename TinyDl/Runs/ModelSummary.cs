namespace TinyDl.Runs;

/// <summary>What the manifest records about the model.</summary>
/// <param name="Type">The model's .NET type name, such as <c>Sequential</c>.</param>
/// <param name="Parameters">The number of parameter elements.</param>
/// <param name="TrainableParameters">The number of parameter elements that require gradients.</param>
/// <param name="Device">The device of the model's parameters when the run started, such as <c>cpu</c>.</param>
/// <param name="InitialWeights">The SHA-256 of the weights the run started from (see <see cref="Fingerprint.OfWeights"/>).</param>
public sealed record ModelSummary(string Type, long Parameters, long TrainableParameters, string Device, string InitialWeights);
