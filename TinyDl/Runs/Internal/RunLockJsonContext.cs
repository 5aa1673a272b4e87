using System.Text.Json.Serialization;

namespace TinyDl.Runs.Internal;

/// <summary>Compile-time JSON metadata for the lock's owner file, written at every run's start (no reflection for it).</summary>
[JsonSerializable(typeof(RunLockOwner))]
internal sealed partial class RunLockJsonContext : JsonSerializerContext;
