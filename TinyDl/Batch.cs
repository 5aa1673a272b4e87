using System.Diagnostics.CodeAnalysis;
using TinyDl.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// One batch as named tensors, as a custom step receives it: an (input, target) pair is the batch
/// <c>{"input", "target"}</c>; a dictionary batch keeps its own names, such as
/// <c>{"x", "labels", "mask"}</c>. <see cref="Forward{TResult}(nn.Module)"/> calls a model with the
/// tensors whose names match its <c>forward</c> parameters.
/// </summary>
/// <remarks>The tensors belong to the batch's dispose scope and are valid only during the step.</remarks>
public sealed class Batch
{
    /// <summary>The name of the input of an (input, target) batch.</summary>
    public const string InputName = "input";

    /// <summary>The name of the target of an (input, target) batch.</summary>
    public const string TargetName = "target";

    private readonly IReadOnlyDictionary<string, Tensor>? _named;
    private readonly Tensor? _input;
    private readonly Tensor? _target;

    /// <summary>Creates an (input, target) batch.</summary>
    /// <param name="input">The input.</param>
    /// <param name="target">The target.</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    public Batch(Tensor input, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        _input = input;
        _target = target;
    }

    /// <summary>Creates a batch of named tensors.</summary>
    /// <param name="tensors">The tensors by name; all share the batch's first (sample) dimension.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensors"/> is null.</exception>
    /// <exception cref="ArgumentException">There are no tensors, or one is null.</exception>
    public Batch(IReadOnlyDictionary<string, Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (ProblemOf(tensors) is { } problem)
        {
            throw new ArgumentException($"The batch {problem}.", nameof(tensors));
        }

        _named = tensors;
    }

    private Batch(IReadOnlyDictionary<string, Tensor>? named, Tensor? input, Tensor? target)
    {
        _named = named;
        _input = input;
        _target = target;
    }

    /// <summary>The names of the batch's tensors, in order.</summary>
    public IEnumerable<string> Names => _named?.Keys ?? [InputName, TargetName];

    /// <summary>The number of samples: the first dimension of the input, or of the first tensor of a named batch (1 for a scalar).</summary>
    public long Size
    {
        get
        {
            var first = _input ?? (_named!.TryGetValue(InputName, out var input) ? input : _named.Values.First());
            return first.Dimensions == 0 ? 1 : first.size(0);
        }
    }

    /// <summary>The tensor named <see cref="InputName"/>.</summary>
    /// <exception cref="KeyNotFoundException">The batch has no such tensor.</exception>
    public Tensor Input => this[InputName];

    /// <summary>The tensor named <see cref="TargetName"/>.</summary>
    /// <exception cref="KeyNotFoundException">The batch has no such tensor.</exception>
    public Tensor Target => this[TargetName];

    /// <summary>The input when the batch has one (an (input, target) batch, or a tensor named <see cref="InputName"/>), else null.</summary>
    internal Tensor? InputOrNull => _input ?? (TryGetValue(InputName, out var input) ? input : null);

    /// <summary>The target when the batch has one, else null.</summary>
    internal Tensor? TargetOrNull => _target ?? (TryGetValue(TargetName, out var target) ? target : null);

    /// <summary>The tensor of that name.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <exception cref="KeyNotFoundException">The batch has no tensor of that name; the message lists those it has.</exception>
    public Tensor this[string name] => TryGetValue(name, out var tensor)
        ? tensor
        : throw new KeyNotFoundException($"The batch has no tensor named '{name}'; it has: {string.Join(", ", Names)}.");

    /// <summary>Creates a batch from a dictionary of named tensors.</summary>
    /// <param name="tensors">The tensors by name.</param>
    public static implicit operator Batch(Dictionary<string, Tensor> tensors) => new(tensors);

    /// <summary>Gets the tensor of that name, if the batch has one.</summary>
    /// <param name="name">The tensor's name.</param>
    /// <param name="tensor">The tensor, when found.</param>
    /// <returns>Whether the batch has a tensor of that name.</returns>
    public bool TryGetValue(string name, [MaybeNullWhen(false)] out Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_named is not null)
        {
            return _named.TryGetValue(name, out tensor);
        }

        tensor = name switch
        {
            InputName => _input,
            TargetName => _target,
            _ => null,
        };
        return tensor is not null;
    }

    /// <summary>
    /// Calls <paramref name="model"/> with the batch's tensors matched by name to the parameters of its
    /// <c>forward</c> method (an optional parameter may be missing). An (input, target) batch matches a
    /// one-parameter <c>forward</c> with its input whatever the parameter's name.
    /// </summary>
    /// <typeparam name="TResult">What the model returns, such as <c>Tensor</c> or <c>(Tensor, Tensor)</c>.</typeparam>
    /// <param name="model">A module whose <c>forward</c> takes only tensors.</param>
    /// <returns>The model's output.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The model's forward does not take tensors only, or does not return <typeparamref name="TResult"/>.</exception>
    /// <exception cref="KeyNotFoundException">The batch lacks a tensor a required parameter names.</exception>
    public TResult Forward<TResult>(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return (TResult)ForwardBinding.For(model.GetType(), typeof(TResult)).Invoke(model, this)!;
    }

    /// <summary>Calls <paramref name="model"/>, which returns a tensor, with the batch's tensors matched to its forward parameters; see <see cref="Forward{TResult}(nn.Module)"/>.</summary>
    /// <param name="model">A module whose <c>forward</c> takes only tensors and returns a tensor.</param>
    /// <returns>The model's output.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="ArgumentException">The model's forward does not take tensors only or does not return a tensor.</exception>
    /// <exception cref="KeyNotFoundException">The batch lacks a tensor a required parameter names.</exception>
    public Tensor Forward(nn.Module model) => Forward<Tensor>(model);

    /// <inheritdoc />
    public override string ToString() => $"Batch({string.Join(", ", Names)}; {Size} samples)";

    /// <summary>Wraps an (input, target) pair without checks; null when a part is null.</summary>
    internal static Batch? Of(Tensor? input, Tensor? target) => input is null || target is null ? null : new Batch(null, input, target);

    /// <summary>Wraps named tensors without copying; null when the dictionary is null, empty or holds a null tensor.</summary>
    internal static Batch? Of(IReadOnlyDictionary<string, Tensor>? tensors) =>
        tensors is null || ProblemOf(tensors) is not null ? null : new Batch(tensors, null, null);

    /// <summary>Why named tensors cannot be a batch, or null when they can.</summary>
    internal static string? ProblemOf(IReadOnlyDictionary<string, Tensor> tensors)
    {
        if (tensors.Count == 0)
        {
            return "holds no tensors";
        }

        foreach (var (name, tensor) in tensors)
        {
            if (tensor is null)
            {
                return $"tensor '{name}' is null";
            }
        }

        return null;
    }

    /// <summary>The batch with every tensor on <paramref name="device"/>; this batch when they all are.</summary>
    internal Batch To(Device device)
    {
        if (_named is null)
        {
            var input = ToDevice(_input!, device);
            var target = ToDevice(_target!, device);
            return ReferenceEquals(input, _input) && ReferenceEquals(target, _target) ? this : new Batch(null, input, target);
        }

        if (_named.Values.All(t => OnDevice(t, device)))
        {
            return this;
        }

        return new Batch(_named.ToDictionary(kv => kv.Key, kv => ToDevice(kv.Value, device), StringComparer.Ordinal), null, null);
    }

    private static bool OnDevice(Tensor tensor, Device device) =>
        tensor.device_type == device.type && (device.index < 0 || tensor.device_index == device.index);

    private static Tensor ToDevice(Tensor tensor, Device device) => OnDevice(tensor, device) ? tensor : tensor.to(device);
}
