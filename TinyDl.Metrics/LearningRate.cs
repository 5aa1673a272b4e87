using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl.Metrics;

/// <summary>
/// The learning rate of an optimizer's first parameter group at the end of each epoch, so that the
/// console table, the CSV and TensorBoard (<c>train/lr</c>) show what a scheduler did. Reads a .NET
/// number, never a tensor; unranked (no best value is marked). Named <c>lr</c>.
/// </summary>
public sealed class LearningRate : Metric
{
    private readonly optim.Optimizer _optimizer;
    private bool _seen;

    /// <summary>Creates the metric.</summary>
    /// <param name="optimizer">The optimizer whose learning rate to report.</param>
    /// <param name="name">The reported name. Defaults to <c>lr</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="optimizer"/> is null.</exception>
    /// <exception cref="ArgumentException">The optimizer exposes no parameter groups with a learning rate.</exception>
    public LearningRate(optim.Optimizer optimizer, string name = "lr")
        : base(name, higherIsBetter: false)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (optimizer is not OptimizerHelper)
        {
            throw new ArgumentException($"Metric '{name}' needs an optimizer with parameter groups (a TorchSharp OptimizerHelper such as Adam or SGD); got {optimizer.GetType().Name}.", nameof(optimizer));
        }

        _optimizer = optimizer;
        Ranked = false;
    }

    /// <inheritdoc />
    public override void Reset() => _seen = false;

    /// <inheritdoc />
    public override void Update(BatchCompleted batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _seen = true;
    }

    /// <inheritdoc />
    public override double Compute()
    {
        if (!_seen)
        {
            ThrowNoSamples();
        }

        // Stryker disable once Linq : a TorchSharp optimizer always has at least one parameter group
        return ((OptimizerHelper)_optimizer).ParamGroups.First().LearningRate;
    }
}
