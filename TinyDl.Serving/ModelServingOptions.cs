using TorchSharp;

namespace TinyDl.Serving;

/// <summary>
/// How one model is served: the shape of a sample, the class labels of a classifier, the micro-batching
/// limits, the queue, the body limit, the non-finite input policy and reloading. Immutable; every
/// property is validated when it is set.
/// </summary>
public sealed class ModelServingOptions
{
    /// <summary>The megabyte (2^20 bytes), for <see cref="MaxRequestBytes"/>.</summary>
    public const long Megabyte = 1 << 20;

    /// <summary>
    /// The shape of one sample, without the batch dimension: <c>[784]</c> for flattened 28x28 images. A
    /// request sends N samples as a float32 tensor of shape [N, ..<see cref="InputShape"/>]. Required.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is empty or has a size below 1.</exception>
    public required IReadOnlyList<int> InputShape
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0 || value.Any(size => size < 1))
            {
                throw new ArgumentException($"The input shape [{string.Join(", ", value)}] must have at least one dimension, each of size 1 or more.", nameof(value));
            }

            field = [.. value];
        }
    }

    /// <summary>
    /// The name of the model's input in requests (<c>{"inputs": {"&lt;name&gt;": ...}}</c>) and in the
    /// OpenAPI document. Defaults to <c>input</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty.</exception>
    public string InputName
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            field = value;
        }
    } = "input";

    /// <summary>
    /// The class names by index when the model is a classifier with outputs [N, classes]; answers then
    /// also carry the <see cref="TopK"/> classes with their probabilities. Defaults to null: the outputs only.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or has an empty label.</exception>
    public IReadOnlyList<string>? Labels
    {
        get;
        init
        {
            if (value is not null && (value.Count == 0 || value.Any(string.IsNullOrWhiteSpace)))
            {
                throw new ArgumentException("The labels must be one non-empty name per class.", nameof(value));
            }

            field = value is null ? null : [.. value];
        }
    }

    /// <summary>What a classifier's outputs are: logits (softmax gives the probabilities) or probabilities already. Defaults to <see cref="ClassifierOutput.Logits"/>.</summary>
    public ClassifierOutput ClassifierOutput { get; init; } = ClassifierOutput.Logits;

    /// <summary>How many classes an answer lists per sample, most probable first; a request may ask for fewer or more with <c>?top=k</c>. Defaults to 5.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int TopK
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 5;

    /// <summary>
    /// The most samples the model runs at once. Queued requests are run together up to this many samples;
    /// a single request may hold at most this many. 1 turns micro-batching off. Defaults to 32.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxBatchSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 32;

    /// <summary>
    /// How long the worker waits, after taking the first request of a batch, for more requests to fill
    /// it. Zero runs whatever is queued at once (requests that arrive while a batch runs still batch
    /// together). Defaults to 1 millisecond.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or over one second.</exception>
    public TimeSpan MaxWait
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromSeconds(1));
            field = value;
        }
    } = TimeSpan.FromMilliseconds(1);

    /// <summary>How many requests may wait for the worker; more are answered 503 with <c>Retry-After</c>. Defaults to 256.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int QueueCapacity
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 256;

    /// <summary>The seconds a 503 answer asks the client to wait (<c>Retry-After</c>). Defaults to 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int RetryAfterSeconds
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1;

    /// <summary>The largest request body in bytes; a larger one is answered 413. Defaults to 4 <see cref="Megabyte"/>s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long MaxRequestBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 4 * Megabyte;

    /// <summary>Whether NaN and infinite inputs are refused (400) or passed to the model. Defaults to <see cref="NonFiniteInputs.Reject"/>.</summary>
    public NonFiniteInputs NonFinite { get; init; } = NonFiniteInputs.Reject;

    /// <summary>
    /// Decoders of request bodies other than JSON, by media type (<c>image/png</c>): each turns the body's
    /// bytes into the model's input and throws <see cref="ModelInputException"/> for bytes it cannot use.
    /// A <c>multipart/form-data</c> body with one file is decoded by the file's media type. Defaults to none.
    /// </summary>
    /// <exception cref="ArgumentException">A media type is empty, has parameters, or is <c>application/json</c>, which is built in.</exception>
    public IReadOnlyDictionary<string, Func<ReadOnlyMemory<byte>, ModelInput>> Decoders
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var type in value.Keys)
            {
                if (string.IsNullOrWhiteSpace(type) || type.Contains(';', StringComparison.Ordinal) || !type.Contains('/', StringComparison.Ordinal)
                    || type.Equals("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    throw new ArgumentException($"'{type}' is not a media type a decoder can take: name one such as image/png, without parameters; JSON is built in.", nameof(value));
                }
            }

            field = new Dictionary<string, Func<ReadOnlyMemory<byte>, ModelInput>>(value, StringComparer.OrdinalIgnoreCase);
        }
    } = new Dictionary<string, Func<ReadOnlyMemory<byte>, ModelInput>>();

    /// <summary>
    /// Whether to reload the model when the run directory's weights are replaced (with run.json recording
    /// their new SHA-256). Requests keep being answered by the old weights until the new ones are loaded
    /// and warmed up; weights that fail the checks are not loaded and the old ones stay. Only for models
    /// served from a run. Defaults to false.
    /// </summary>
    public bool ReloadOnChange { get; init; }

    /// <summary>The device the model runs on. Defaults to <see cref="Devices.Default"/> (the first CUDA device when there is one, else the CPU).</summary>
    public torch.Device Device
    {
        get => field ?? Devices.Default;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            field = value;
        }
    }

    /// <summary>The number of elements of one sample: the product of <see cref="InputShape"/>.</summary>
    public int SampleSize => InputShape.Aggregate(1, (product, size) => checked(product * size));
}
