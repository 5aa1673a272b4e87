namespace TinyDl.Controls;

/// <summary>
/// Stops a run when a metric has not improved for <see cref="Patience"/> epochs, as Keras and
/// Lightning do: an epoch improves when it beats the best value so far by more than
/// <see cref="MinDelta"/> in the metric's own direction (or <see cref="HigherIsBetter"/>).
/// Attach with <see cref="AttachTo"/>; the run then ends with <see cref="RunStatus.Stopped"/>.
/// </summary>
/// <remarks>Not thread-safe; its handler runs on the training thread.</remarks>
public sealed class EarlyStopping
{
    private double _best = double.NaN;
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

    /// <summary>Whether larger values are better; null, the default, takes the metric's own direction.</summary>
    public bool? HigherIsBetter { get; init; }

    /// <summary>The epoch at which the control asked the run to stop, or null.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <summary>Watches a run and asks it to stop when the metric stops improving. A resumed run (<see cref="RunStarted.History"/>) continues the patience it had.</summary>
    /// <param name="runner">The run.</param>
    /// <returns>The subscription.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="runner"/> is null.</exception>
    /// <exception cref="InvalidOperationException">(Raised during the run) the stage reports no metric of that name.</exception>
    public IDisposable AttachTo(Runner runner)
    {
        ArgumentNullException.ThrowIfNull(runner);
        return new System.Reactive.Disposables.CompositeDisposable(
            runner.RunStarted.Subscribe(Restore),
            runner.EpochCompleted.Subscribe(e =>
            {
                if (e.Stage == Stage && Watch(e.Metrics))
                {
                    StoppedEpoch = e.Epoch;
                    runner.RequestStop();
                }
            }));
    }

    // A resumed run replays the epochs already done, so patience continues where it was.
    private void Restore(RunStarted e)
    {
        _best = double.NaN;
        _waited = 0;
        StoppedEpoch = null;
        foreach (var epoch in e.History)
        {
            if (epoch.Metrics.TryGetValue(Stage, out var metrics))
            {
                Watch(metrics);
            }
        }
    }

    private bool Watch(MetricValues metrics)
    {
        if (!metrics.TryGet(Metric, out var value))
        {
            throw new InvalidOperationException($"Early stopping watches '{Metric}', but the {Stage.ToName()} stage reports only: {string.Join(", ", metrics.Names)}.");
        }

        var higher = HigherIsBetter ?? value.HigherIsBetter;
        var improved = double.IsNaN(_best) ? !double.IsNaN(value.Value)
            : higher ? value.Value > _best + MinDelta : value.Value < _best - MinDelta;
        if (improved)
        {
            _best = value.Value;
            _waited = 0;
            return false;
        }

        return ++_waited >= Patience;
    }
}
