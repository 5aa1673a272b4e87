using System.Text.Json.Serialization;

namespace TinyDl.Runs.Internal;

/// <summary>
/// Compile-time JSON metadata for the manifest, so reading many manifests in a fresh process (the
/// <c>tinydl</c> command) does not pay for reflection. The settings are in <see cref="ManifestJson"/>.
/// </summary>
[JsonSerializable(typeof(RunManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
