namespace TinyDl.Controls;

/// <summary>
/// Stops a run when a metric has not improved for <see cref="Patience"/> epochs, as Keras and
/// Lightning do: an epoch improves when it beats the best value so far by more than
/// <see cref="MinDelta"/> in the metric's own direction (<see cref="MetricValue.IsBetterThan(double, double)"/>,
/// the rule the run's best values use). A participant: attach it to a <see cref="Runner"/>, or to a
/// <see cref="Trainer"/> or <see cref="Validator"/> used alone; the run then ends with
/// <see cref="RunStatus.Stopped"/> and says why in <see cref="RunCompleted.StopReason"/>. A NaN or infinite
/// value of the watched metric fails the run (<see cref="NonFiniteValueException"/>).
/// </summary>
/// <remarks>Not thread-safe; its handler runs on the training thread.</remarks>
public sealed class EarlyStopping : RunParticipant
{
    private double _reference = double.NaN;
    private int _waited;

    /// <summary>Creates the control.</summary>
    /// <param name="metric">The metric to watch, such as <c>loss</c>.</param>
    /// <param name="stage">The stage whose value to watch. Defaults to <see cref="Stage.Validation"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="metric"/> is null or empty.</exception>
    public EarlyStopping(string metric, Stage stage = Stage.Validation)
    {
        ArgumentException.ThrowIfNullOrEmpty(metric);
        Metric = metric;
        Stage = stage;
    }

    /// <summary>The metric watched.</summary>
    public string Metric { get; }

    /// <summary>The stage watched.</summary>
    public Stage Stage { get; }

    /// <summary>How many epochs in a row without improvement end the run: with 3, the third such epoch is
    /// the last (Keras's and Lightning's meaning). Defaults to 3.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int Patience
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = 3;

    /// <summary>The smallest change that counts as an improvement. Defaults to 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative or not finite.</exception>
    public double MinDelta
    {
        get;
        init
        {
            if (!(value >= 0) || double.IsInfinity(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MinDelta is a finite number of at least 0.");
            }

            field = value;
        }
    }

    /// <summary>The epoch at which the control asked the run to stop, or null.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc />
    /// <remarks>A resumed run (<see cref="RunStarted.History"/>) continues the patience it had.</remarks>
    protected override void OnRunStarted(RunStarted e)
    {
        _reference = double.NaN;
        _waited = 0;
        StoppedEpoch = null;
        foreach (var epoch in e.History)
        {
            if (epoch.Metrics.TryGetValue(Stage, out var metrics) && metrics.TryGet(Metric, out var value))
            {
                Watch(value);
            }
        }
    }

    /// <inheritdoc />
    protected override void OnEpochCompleted(EpochCompleted e)
    {
        if (e.Stage != Stage || !Watch(NonFiniteValueException.RequireFinite(e, Metric, "early stopping")))
        {
            return;
        }

        StoppedEpoch = e.Epoch;
        RequestStop($"early stopping: the {Stage.ToName()} {Metric} did not improve for {Patience} epoch{(Patience == 1 ? "" : "s")}");
    }

    private bool Watch(MetricValue value)
    {
        if (value.IsBetterThan(_reference, MinDelta))
        {
            _reference = value.Value;
            _waited = 0;
            return false;
        }

        return ++_waited >= Patience;
    }
}
