using TinyDl.Internal;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// Trains a model for one epoch at a time: train mode, then for every batch forward, loss, backward
/// and optimizer step, each batch inside a dispose scope. Publishes <see cref="EpochStarted"/>,
/// <see cref="BatchCompleted"/> (once per batch) and <see cref="EpochCompleted"/> with the values of
/// its metrics. Works alone (<see cref="RunEpoch(int, CancellationToken)"/>) or inside a <see cref="Runner"/>.
/// </summary>
/// <remarks>Not thread-safe; events are raised synchronously on the calling thread.</remarks>
public sealed class Trainer : IDisposable
{
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly StageLoop _loop;
    private RunClock? _clock;
    private int _accumulated;

    /// <summary>Creates a trainer whose loss is a TorchSharp loss module, such as <c>nn.CrossEntropyLoss()</c>.</summary>
    /// <param name="model">The model to train; a module from input to output.</param>
    /// <param name="data">The training batches, re-enumerated every epoch: a list, a <see cref="TensorBatches"/>, or any enumerable of (input, target).</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="loss">The loss module; its output is the batch's mean loss.</param>
    /// <param name="metrics">The metrics to compute over every training epoch, such as <c>new Loss()</c>.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        optim.Optimizer optimizer,
        nn.Module<Tensor, Tensor, Tensor> loss,
        IEnumerable<Metric>? metrics = null)
        : this(model, data, optimizer, (loss ?? throw new ArgumentNullException(nameof(loss))).call, metrics)
    {
    }

    /// <summary>Creates a trainer whose loss is a function of (output, target), such as <c>(o, t) =&gt; functional.mse_loss(o, t)</c>.</summary>
    /// <param name="model">The model to train; a module from input to output.</param>
    /// <param name="data">The training batches, re-enumerated every epoch.</param>
    /// <param name="optimizer">The optimizer over the model's parameters.</param>
    /// <param name="loss">Computes the batch's mean loss from the output and the target.</param>
    /// <param name="metrics">The metrics to compute over every training epoch.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two metrics share a name.</exception>
    public Trainer(
        nn.Module<Tensor, Tensor> model,
        IEnumerable<(Tensor Input, Tensor Target)> data,
        optim.Optimizer optimizer,
        Func<Tensor, Tensor, Tensor> loss,
        IEnumerable<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        Model = model;
        Data = data;
        Optimizer = optimizer;
        _loss = loss;
        _loop = new StageLoop(Stage.Train, [.. metrics ?? []]);
    }

    /// <summary>The model being trained.</summary>
    public nn.Module<Tensor, Tensor> Model { get; }

    /// <summary>The training batches.</summary>
    public IEnumerable<(Tensor Input, Tensor Target)> Data { get; }

    /// <summary>The optimizer.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The metrics computed over every training epoch, in the order reported.</summary>
    public IReadOnlyList<Metric> Metrics => _loop.Metrics;

    /// <summary>The number of optimizer steps taken so far (batches trained); 0 before the first.</summary>
    public long GlobalStep { get; set; }

    /// <summary>The clock that times events. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Accumulate gradients over this many batches before each optimizer step, each batch's loss
    /// scaled by 1 / N, so N batches of size B train like one of size N x B; a short remainder at the
    /// end of an epoch is stepped too. <see cref="GlobalStep"/> still counts batches. Defaults to 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int AccumulationSteps
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 1;

    /// <summary>Clip the gradients' total (2-)norm to this before each optimizer step; null, the default, for no clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public double? ClipGradientNorm
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            field = value;
        }
    }

    /// <summary>Clip every gradient element to [-value, value] before each optimizer step; null, the default, for no clipping.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public double? ClipGradientValue
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value ?? 1);
            field = value;
        }
    }

    /// <summary>Raised when a training epoch starts.</summary>
    public IObservable<EpochStarted> EpochStarted => _loop.EpochStarted;

    /// <summary>Raised after every training batch; its tensors are valid only during OnNext.</summary>
    public IObservable<BatchCompleted> BatchCompleted => _loop.BatchCompleted;

    /// <summary>Raised when a training epoch ends, with the metric values over the epoch.</summary>
    public IObservable<EpochCompleted> EpochCompleted => _loop.EpochCompleted;

    /// <summary>Trains one epoch over <see cref="Data"/>.</summary>
    /// <param name="epoch">The epoch's number, counted from 1.</param>
    /// <param name="cancellationToken">Stops the epoch after the current batch; the method then returns null.</param>
    /// <returns>The completed epoch with its metric values, or null when cancelled before the end.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epoch"/> is not positive.</exception>
    /// <exception cref="InvalidOperationException">The data yielded no batches, or a metric saw no samples.</exception>
    public EpochCompleted? RunEpoch(int epoch, CancellationToken cancellationToken = default) =>
        RunEpochIn(_clock ?? new RunClock(TimeProvider), epoch, () => cancellationToken.IsCancellationRequested);

    /// <summary>Completes the trainer's event streams.</summary>
    public void Dispose() => _loop.Dispose();

    internal EpochCompleted? RunEpochIn(RunClock clock, int epoch, Func<bool> shouldStop)
    {
        _clock = clock;
        _accumulated = 0;
        Model.train();
        var device = StageLoop.DeviceOf(Model);
        var completed = _loop.RunEpoch(Data, epoch, device, clock, Step, () => GlobalStep, shouldStop);
        if (completed is not null && _accumulated > 0)
        {
            ApplyStep();
        }

        return completed;
    }

    private StepResult Step(Tensor input, Tensor target)
    {
        if (_accumulated == 0)
        {
            Optimizer.zero_grad();
        }

        var output = Model.call(input);
        var loss = _loss(output, target);
        if (AccumulationSteps == 1)
        {
            loss.backward();
        }
        else
        {
            using var scaled = loss / AccumulationSteps;
            scaled.backward();
        }

        if (++_accumulated == AccumulationSteps)
        {
            ApplyStep();
        }

        GlobalStep++;
        return new StepResult(output, loss);
    }

    private void ApplyStep()
    {
        if (ClipGradientValue is { } value)
        {
            nn.utils.clip_grad_value_(Model.parameters(), value);
        }

        if (ClipGradientNorm is { } norm)
        {
            nn.utils.clip_grad_norm_(Model.parameters(), norm);
        }

        Optimizer.step();
        _accumulated = 0;
    }
}
