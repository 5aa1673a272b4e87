namespace TinyDl;

/// <summary>A training loss or a monitored metric became NaN or infinite; the run failed with this error.</summary>
public sealed class NonFiniteValueException : TinyDlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What became non-finite, where, and what to try.</param>
    /// <param name="stage">The stage.</param>
    /// <param name="epoch">The epoch, counted from 1.</param>
    /// <param name="batch">The batch within the epoch, counted from 1; null for an epoch's metric.</param>
    /// <param name="globalStep">The trainer's global step.</param>
    /// <param name="value">The value, NaN or an infinity.</param>
    public NonFiniteValueException(string message, Stage stage, int epoch, int? batch, long globalStep, double value)
        : base(message)
    {
        Stage = stage;
        Epoch = epoch;
        Batch = batch;
        GlobalStep = globalStep;
        Value = value;
    }

    /// <summary>The stage.</summary>
    public Stage Stage { get; }

    /// <summary>The epoch, counted from 1.</summary>
    public int Epoch { get; }

    /// <summary>The batch within the epoch, counted from 1, when a batch's loss was not finite; null for a metric over an epoch.</summary>
    public int? Batch { get; }

    /// <summary>The trainer's global step.</summary>
    public long GlobalStep { get; }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <summary>Throws when the monitored metric of an epoch is not finite: a participant that monitors a metric
    /// (the checkpointer, early stopping, a plateau schedule) cannot tell better from worse with it.</summary>
    /// <param name="e">The stage's epoch.</param>
    /// <param name="metric">The monitored metric.</param>
    /// <param name="who">Who monitors it, for the message, such as <c>early stopping</c>.</param>
    /// <returns>The metric's value, finite.</returns>
    /// <exception cref="NonFiniteValueException">The value is NaN or infinite.</exception>
    /// <exception cref="InvalidOperationException">The epoch reports no such metric; the message lists those it reports.</exception>
    public static MetricValue RequireFinite(EpochCompleted e, string metric, string who)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!e.Metrics.TryGet(metric, out var value))
        {
            throw new InvalidOperationException($"{char.ToUpperInvariant(who[0])}{who[1..]} monitors the {e.Stage.ToName()} metric '{metric}', but the {e.Stage.ToName()} stage reports only: {string.Join(", ", e.Metrics.Names)}.");
        }

        if (!double.IsFinite(value.Value))
        {
            throw new NonFiniteValueException(
                $"The {e.Stage.ToName()} {metric} is {value.Value} at epoch {e.Epoch} (step {e.GlobalStep}), which {who} monitors; the run was stopped and epoch {e.Epoch} was not saved. Lower the learning rate, clip gradients or check the data.",
                e.Stage, e.Epoch, null, e.GlobalStep, value.Value);
        }

        return value;
    }
}
