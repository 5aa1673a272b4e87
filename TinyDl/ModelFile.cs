using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Saves a trained model for later use and loads it back, in TorchSharp's state-dict format (the one
/// <c>Module.save</c> writes and <c>Module.load</c> reads). Saving is atomic: a process killed while
/// saving leaves the previous file intact.
/// </summary>
public static class ModelFile
{
    /// <summary>Saves the weights and buffers of <paramref name="model"/> to <paramref name="path"/>, replacing it atomically.</summary>
    /// <param name="model">The model.</param>
    /// <param name="path">The file; its directory is created when missing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    public static void Save(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            model.save(writer);
        }

        AtomicFile.Write(path, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }

    /// <summary>Loads weights and buffers saved by <see cref="Save"/> (or <c>Module.save</c>) into a model of the same architecture.</summary>
    /// <param name="model">The model; names and shapes must match the file's.</param>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static void Load(nn.Module model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No saved model at '{path}'.", path);
        }

        model.load(path);
    }
}
