using Microsoft.Extensions.Logging;

namespace TinyDl.Serving.Internal;

/// <summary>The serving log messages (source-generated: nothing is formatted when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Model {Name} is ready: input [N, {Input}], output [N, {Output}], weights {Sha256}.")]
    public static partial void Ready(ILogger logger, string name, string input, string output, string sha256);

    [LoggerMessage(2, LogLevel.Critical, "Model {Name} was not loaded: {Message}")]
    public static partial void NotLoaded(ILogger logger, string name, string message);

    [LoggerMessage(3, LogLevel.Information, "Model {Name} stopped after {Batches} batches.")]
    public static partial void Stopped(ILogger logger, string name, long batches);

    [LoggerMessage(4, LogLevel.Information, "Model {Name} reloaded: weights {Sha256} from {Path}.")]
    public static partial void Reloaded(ILogger logger, string name, string? sha256, string? path);

    [LoggerMessage(5, LogLevel.Warning, "Model {Name} keeps its weights {Sha256}: the new ones were refused. {Message}")]
    public static partial void ReloadRefused(ILogger logger, string name, string? sha256, string message);

    [LoggerMessage(6, LogLevel.Error, "Model {Name} failed on a batch of {Samples} samples.")]
    public static partial void BatchFailed(ILogger logger, Exception error, string name, int samples);
}
