using System.Text.Json.Serialization;

namespace TinyDl.Internal;

/// <summary>
/// Compile-time JSON metadata for the checkpoint header, written every epoch: without it the first save
/// builds the header's metadata by reflection and emits accessor methods, which the JIT then compiles and
/// recompiles while training runs (measured with the JIT's method list; README, "Performance").
/// </summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, WriteIndented = false)]
[JsonSerializable(typeof(CheckpointHeader))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;
