using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using TinyDl.Runs;
using TinyDl.Serving.Internal;

namespace TinyDl.Serving;

/// <summary>
/// A model being served: its status, provenance and statistics, and <see cref="PredictAsync"/>, which
/// queues samples for the model's worker. One worker thread per model makes every libtorch call (load,
/// warm-up, forward in eval mode under <c>no_grad</c>, a dispose scope per batch) and runs queued
/// requests together up to <see cref="ModelServingOptions.MaxBatchSize"/> samples. Get it from the
/// services by name: <c>app.Services.GetRequiredKeyedService&lt;ServedModel&gt;("fashion")</c>.
/// </summary>
/// <remarks>Thread-safe. Created by <c>AddTinyDlModel</c> and started and stopped with the application.</remarks>
public sealed partial class ServedModel : IDisposable
{
    private readonly Channel<WorkItem> _queue;
    private readonly ILogger _logger;
    private volatile LoadedModel? _current;
    private volatile ServedModelStatus _status = ServedModelStatus.Loading;
    private long _requests;
    private long _batches;
    private long _samples;
    private long _dropped;
    private long _rejected;
    private long _reloads;

    internal ServedModel(string name, ModelSource source, ModelServingOptions options, ILogger logger)
    {
        Name = name;
        Source = source;
        Options = options;
        _logger = logger;
        _queue = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The model's name, the <c>{name}</c> of its routes <c>/models/{name}</c>.</summary>
    public string Name { get; }

    /// <summary>Where the model comes from.</summary>
    public ModelSource Source { get; }

    /// <summary>How the model is served.</summary>
    public ModelServingOptions Options { get; }

    /// <summary>Where the model is in its life; <see cref="ServedModelStatus.Ready"/> once loaded and warmed up.</summary>
    public ServedModelStatus Status => _status;

    /// <summary>Why loading failed, when <see cref="Status"/> is <see cref="ServedModelStatus.Failed"/>; null otherwise.</summary>
    public string? Error { get; private set; }

    /// <summary>Why the last reload was refused (the old weights stayed), or null.</summary>
    public string? LastReloadError { get; private set; }

    /// <summary>The shape of one sample's output, without the batch dimension, as the warm-up found it; empty before.</summary>
    public IReadOnlyList<int> OutputShape { get; private set; } = [];

    /// <summary>The manifest of the run being served, or null (before loading, or for a module served from memory).</summary>
    public RunManifest? Run => _current?.Manifest;

    /// <summary>The weights being served, as checked when they were loaded, or null (before loading, or for a module served from memory).</summary>
    public ServedWeights? Weights => _current?.Weights;

    /// <summary>What the model has done so far.</summary>
    public ServingStatistics Statistics => new(
        Interlocked.Read(ref _requests),
        Interlocked.Read(ref _batches),
        Interlocked.Read(ref _samples),
        Interlocked.Read(ref _dropped),
        Interlocked.Read(ref _rejected),
        Interlocked.Read(ref _reloads));

    internal JsonNode? RunJson => _current?.RunJson;

    /// <summary>
    /// Queues samples for the model and returns its answer once their batch ran. A request whose
    /// <paramref name="cancellationToken"/> is cancelled before its batch runs is dropped unrun.
    /// </summary>
    /// <param name="input">Samples of shape [N, ..<see cref="ModelServingOptions.InputShape"/>], N at most <see cref="ModelServingOptions.MaxBatchSize"/>.</param>
    /// <param name="cancellationToken">Cancelled when the caller no longer wants the answer (for HTTP: the client went away).</param>
    /// <returns>The prediction.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ModelInputException">The input does not fit the model (shape, sample count, non-finite values).</exception>
    /// <exception cref="ModelUnavailableException">The model is loading, failed to load or is stopping, or its queue is full.</exception>
    /// <exception cref="InvalidOperationException">The model failed on the batch (the task faults with it).</exception>
    public Task<Prediction> PredictAsync(ModelInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        InputChecks.CheckShape(input.Shape, Options, "input.shape");
        InputChecks.CheckFinite(input.Values, input.Shape, Options, "input.data");
        var status = _status;
        if (status != ServedModelStatus.Ready)
        {
            throw Unavailable(status switch
            {
                ServedModelStatus.Loading => $"The model '{Name}' is still loading; try again shortly.",
                ServedModelStatus.Failed => $"The model '{Name}' failed to load: {Error}",
                _ => $"The model '{Name}' is shutting down and takes no new requests.",
            });
        }

        var item = new WorkItem(input, cancellationToken);
        if (!_queue.Writer.TryWrite(item))
        {
            if (_status != ServedModelStatus.Ready)
            {
                throw Unavailable($"The model '{Name}' is shutting down and takes no new requests.");
            }

            Interlocked.Increment(ref _rejected);
            throw Unavailable($"The model '{Name}' already has {Options.QueueCapacity} requests waiting, as many as its queue holds (ModelServingOptions.QueueCapacity); try again in {Options.RetryAfterSeconds} s.");
        }

        Interlocked.Increment(ref _requests);
        return item.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _watcher?.Dispose();
        _reloadTimer?.Dispose();
        if (_thread is { IsAlive: true } thread && thread != Thread.CurrentThread)
        {
            thread.Join(TimeSpan.FromSeconds(10));
        }
    }

    private ModelUnavailableException Unavailable(string message) => new(message) { RetryAfterSeconds = Options.RetryAfterSeconds };
}
