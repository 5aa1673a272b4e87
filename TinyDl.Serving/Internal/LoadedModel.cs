using System.Text.Json.Nodes;
using TinyDl.Runs;
using static TorchSharp.torch;

namespace TinyDl.Serving.Internal;

/// <summary>A model as loaded: the module, and for a run its manifest (parsed and as written) and the checked weights.</summary>
internal sealed record LoadedModel(nn.Module<Tensor, Tensor> Module, RunManifest? Manifest, JsonNode? RunJson, ServedWeights? Weights);
