using TinyDl.Runs;
using TinyDl.Serving.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Serving;

/// <summary>
/// Where a served model comes from: a run directory (run.json, the weights it records and a factory that
/// builds the architecture from the recorded hyperparameters), or a module already in memory. The model
/// is built and loaded on the model's worker when the application starts.
/// </summary>
public sealed class ModelSource
{
    private readonly Func<LoadedModel> _load;

    private ModelSource(string? runDirectory, RunWeights weights, Func<LoadedModel> load)
    {
        RunDirectory = runDirectory;
        Weights = weights;
        _load = load;
    }

    /// <summary>The run directory (full path), or null for a module in memory.</summary>
    public string? RunDirectory { get; }

    /// <summary>Which weights of the run are served.</summary>
    public RunWeights Weights { get; }

    /// <summary>
    /// A model served from a run directory <c>&lt;out&gt;/&lt;experiment name&gt;/</c>. Loading reads
    /// <c>run.json</c> and refuses (with a <see cref="ModelLoadException"/> naming the problem) a run that
    /// that did not end well (<see cref="RunManifest.EndedWell"/>: completed, or stopped by early stopping), weights whose SHA-256 is not the recorded one, and weights that do not fit the
    /// model <paramref name="factory"/> builds from the run's manifest (its hyperparameters).
    /// </summary>
    /// <param name="runDirectory">The run directory.</param>
    /// <param name="factory">Builds the untrained model from the run's manifest, typically from <see cref="RunManifest.Hyperparameters"/>; called on the model's worker.</param>
    /// <param name="weights">Which weights to serve. Defaults to <see cref="RunWeights.Recorded"/>.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentException"><paramref name="runDirectory"/> is empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public static ModelSource FromRun(string runDirectory, Func<RunManifest, nn.Module<Tensor, Tensor>> factory, RunWeights weights = RunWeights.Recorded)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        ArgumentNullException.ThrowIfNull(factory);
        if (!Enum.IsDefined(weights))
        {
            throw new ArgumentOutOfRangeException(nameof(weights), weights, "Choose RunWeights.Recorded, BestCheckpoint or LastCheckpoint.");
        }

        var directory = Path.GetFullPath(runDirectory);
        return new ModelSource(directory, weights, () => RunLoader.Load(directory, factory, weights));
    }

    /// <summary>
    /// A module already in memory, served without provenance (no run). The service takes it over: it puts
    /// it in eval mode and on <see cref="ModelServingOptions.Device"/>; do not train or dispose it while it is served.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <returns>The source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static ModelSource FromModule(nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelSource(null, RunWeights.Recorded, () => new LoadedModel(model, null, null, null));
    }

    internal LoadedModel Load() => _load();
}
