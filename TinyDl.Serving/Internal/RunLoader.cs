using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using TinyDl.Runs;
using static TorchSharp.torch;

namespace TinyDl.Serving.Internal;

/// <summary>Loads a run directory's model: reads run.json, checks status and weights, builds the model through the factory, loads the weights.</summary>
internal static class RunLoader
{
    public static LoadedModel Load(string directory, Func<RunManifest, nn.Module<Tensor, Tensor>> factory, RunWeights choice)
    {
        var (manifest, json) = ReadManifest(directory);
        if (!manifest.EndedWell)
        {
            var how = manifest.Status == RunStatus.Stopped ? $"stopped ({manifest.StopReason ?? "no reason recorded"})" : Status(manifest.Status);
            throw new ModelLoadException($"The run '{manifest.Name}' in '{directory}' is {how}, not completed (or stopped by early stopping); only a finished run is served. {StatusHint(manifest)}");
        }

        var (path, bytes, checkpoint, epoch, chosen) = choice == RunWeights.Recorded ? Recorded(directory, manifest) : FromCheckpoint(directory, manifest, choice);
        var model = Build(factory, manifest);
        try
        {
            if (checkpoint is null)
            {
                using var reader = new BinaryReader(new MemoryStream(bytes, writable: false));
                model.load(reader, strict: true);
            }
            else
            {
                checkpoint.LoadModel(model);
            }
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            model.Dispose();
            throw new ModelLoadException(
                $"The weights in '{path}' do not fit the model the factory built for run '{manifest.Name}' ({model.GetType().Name}): {error.Message} Check that the factory builds the run's architecture from its hyperparameters ({Hyperparameters(manifest)}).",
                error);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        return new LoadedModel(model, manifest, json, new ServedWeights(path, sha, epoch, chosen, DateTimeOffset.UtcNow));
    }

    /// <summary>The SHA-256 run.json records for its weights file and that file's current SHA-256, to tell whether a reload has anything to do.</summary>
    public static (string? Recorded, string? Actual) WeightsState(string directory)
    {
        try
        {
            var manifest = RunManifest.Read(Path.Combine(directory, RunManifest.FileName));
            if (manifest.Weights is not { } weights)
            {
                return (null, null);
            }

            var path = Path.GetFullPath(weights.File, directory);
            return (weights.Sha256, File.Exists(path) ? Fingerprint.OfFiles(path) : null);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }

    private static (RunManifest Manifest, JsonNode Json) ReadManifest(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ModelLoadException($"The run directory '{directory}' does not exist. Serve the directory of one run, such as runs/<experiment name>.");
        }

        var path = Path.Combine(directory, RunManifest.FileName);
        if (!File.Exists(path))
        {
            throw new ModelLoadException($"'{directory}' is not a run directory: it has no {RunManifest.FileName}. Serve the directory of one run, such as runs/<experiment name>, not the directory of all runs.");
        }

        try
        {
            var bytes = File.ReadAllBytes(path);
            return (RunManifest.Parse(bytes), JsonNode.Parse(bytes)!);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            throw new ModelLoadException($"'{path}' cannot be read as a run manifest: {error.Message}", error);
        }
    }

    private static (string Path, byte[] Bytes, Checkpoint? Checkpoint, int? Epoch, string? Choice) Recorded(string directory, RunManifest manifest)
    {
        if (manifest.Weights is not { } weights)
        {
            throw new ModelLoadException($"The run '{manifest.Name}' in '{directory}' records no weights file in {RunManifest.FileName} (the run saved none; ManifestWriter.RecordWeights records one). Serve a checkpoint instead (RunWeights.BestCheckpoint or LastCheckpoint).");
        }

        var path = Path.GetFullPath(weights.File, directory);
        if (Path.GetRelativePath(directory, path).StartsWith("..", StringComparison.Ordinal))
        {
            throw new ModelLoadException($"{RunManifest.FileName} in '{directory}' names the weights file '{weights.File}', which is outside the run directory; only a file inside it is served.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"The weights file '{path}' that {RunManifest.FileName} records cannot be read: {error.Message}", error);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(actual, weights.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelLoadException(
                $"The weights file '{path}' has SHA-256 {actual}, but {RunManifest.FileName} records {weights.Sha256}: the file is not the one the run '{manifest.Name}' saved (changed or replaced since). Restore the run's file, or serve a checkpoint (RunWeights.BestCheckpoint).");
        }

        return (path, bytes, null, weights.Epoch, weights.Choice);
    }

    private static (string Path, byte[] Bytes, Checkpoint? Checkpoint, int? Epoch, string? Choice) FromCheckpoint(string directory, RunManifest manifest, RunWeights choice)
    {
        var name = choice == RunWeights.BestCheckpoint ? "best" : "last";
        var path = Path.Combine(directory, "checkpoints", $"{name}.ckpt");
        Checkpoint checkpoint;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
            checkpoint = Checkpoint.Read(path);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new ModelLoadException($"The checkpoint '{path}' of run '{manifest.Name}' cannot be served: {error.Message}", error);
        }

        if (manifest.ExperimentId is { } id && checkpoint.ExperimentId is { } saved && id != saved)
        {
            throw new ModelLoadException($"The checkpoint '{path}' was saved by experiment {saved}, not by the run's experiment {id}: it belongs to another run.");
        }

        return (path, bytes, checkpoint, checkpoint.Epoch, name);
    }

    private static nn.Module<Tensor, Tensor> Build(Func<RunManifest, nn.Module<Tensor, Tensor>> factory, RunManifest manifest)
    {
        try
        {
            return factory(manifest) ?? throw new ModelLoadException($"The model factory returned null for run '{manifest.Name}'; it must build the model.");
        }
        catch (Exception error) when (error is not ModelLoadException and not OutOfMemoryException)
        {
            throw new ModelLoadException($"The model factory failed for run '{manifest.Name}' ({Hyperparameters(manifest)}): {error.Message}", error);
        }
    }

    private static string Hyperparameters(RunManifest manifest) =>
        manifest.Hyperparameters.Count == 0
            ? "no hyperparameters"
            : string.Join(", ", manifest.Hyperparameters.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={Experiment.Format(kv.Value)}")));

    private static string Status(RunStatus status) => status.ToString().ToLowerInvariant();

    private static string StatusHint(RunManifest manifest) => manifest.Status switch
    {
        RunStatus.Running => "Wait until it ends (or, if its process was killed, resume it until it completes).",
        RunStatus.Stopped => "Resume it until it completes (the Fashion-MNIST example: the same command with --resume).",
        RunStatus.Failed => $"It failed: {manifest.Error ?? "no error was recorded"}.",
        _ => "",
    };
}
