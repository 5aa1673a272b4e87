using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Internal;

/// <summary>
/// How to call a module type with a <see cref="Batch"/>: the names of its <c>forward</c> parameters and
/// a compiled call of its <c>call</c> method (so hooks run), found once per type and result type.
/// </summary>
internal sealed class ForwardBinding
{
    private static readonly ConcurrentDictionary<(Type Module, Type Result), ForwardBinding> Cache = new();

    private readonly string _signature;
    private readonly ParameterInfo[] _parameters;
    private readonly Func<nn.Module, Tensor?[], object?> _call;

    private ForwardBinding(string signature, ParameterInfo[] parameters, Func<nn.Module, Tensor?[], object?> call)
    {
        _signature = signature;
        _parameters = parameters;
        _call = call;
    }

    public static ForwardBinding For(Type module, Type result) => Cache.GetOrAdd((module, result), key => Create(key.Module, key.Result));

    public object? Invoke(nn.Module model, Batch batch)
    {
        var arguments = new Tensor?[_parameters.Length];
        if (_parameters.Length == 1 && batch.InputOrNull is { } input && !batch.TryGetValue(_parameters[0].Name!, out _))
        {
            arguments[0] = input;
        }
        else
        {
            for (var i = 0; i < _parameters.Length; i++)
            {
                var parameter = _parameters[i];
                if (batch.TryGetValue(parameter.Name!, out var tensor))
                {
                    arguments[i] = tensor;
                }
                else if (!parameter.HasDefaultValue)
                {
                    throw new KeyNotFoundException(
                        $"The batch has no tensor named '{parameter.Name}' for {_signature}; it has: {string.Join(", ", batch.Names)}. Name the batch's tensors after the forward parameters.");
                }
            }
        }

        return _call(model, arguments);
    }

    private static ForwardBinding Create(Type module, Type result)
    {
        var forwards = module.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == "forward" && !m.IsAbstract && m.GetParameters().Length > 0 && m.GetParameters().All(p => p.ParameterType == typeof(Tensor)))
            .ToList();
        if (forwards.Count == 0)
        {
            throw new ArgumentException($"{module.Name}.forward does not take tensors only, so a batch cannot be matched to it; call the model yourself in the step.", nameof(module));
        }

        // The most derived override names the parameters the user wrote.
        var forward = forwards.OrderByDescending(m => Depth(m.DeclaringType!)).First();
        var parameters = forward.GetParameters();
        var signature = $"{module.Name}.forward({string.Join(", ", parameters.Select(p => p.Name))})";
        if (!result.IsAssignableFrom(forward.ReturnType))
        {
            throw new ArgumentException($"{signature} returns {forward.ReturnType.Name}, not {result.Name}.", nameof(result));
        }

        var call = module.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(m => m.Name == "call" && m.GetParameters().Length == parameters.Length && m.GetParameters().All(p => p.ParameterType == typeof(Tensor)))
            ?? forward;
        var model = Expression.Parameter(typeof(nn.Module), "model");
        var arguments = Expression.Parameter(typeof(Tensor?[]), "arguments");
        var invoke = Expression.Call(
            Expression.Convert(model, module),
            call,
            parameters.Select((_, i) => (Expression)Expression.ArrayIndex(arguments, Expression.Constant(i))));
        var lambda = Expression.Lambda<Func<nn.Module, Tensor?[], object?>>(Expression.Convert(invoke, typeof(object)), model, arguments);
        return new ForwardBinding(signature, parameters, lambda.Compile());
    }

    private static int Depth(Type type)
    {
        var depth = 0;
        for (var t = type; t is not null; t = t.BaseType)
        {
            depth++;
        }

        return depth;
    }
}
