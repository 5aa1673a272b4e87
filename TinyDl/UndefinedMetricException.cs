namespace TinyDl;

/// <summary>
/// A metric's value is undefined for the data it saw, such as a ROC AUC over an epoch whose targets
/// hold one class only, or a ranking of NaN scores. <see cref="Metric.Compute()"/> throws it; the epoch
/// loop instead reports the value as NaN with a warning (<see cref="EpochCompleted.Warnings"/>) and goes
/// on, unless the metric's <see cref="Metric.FailWhenUndefined"/> is set.
/// </summary>
public sealed class UndefinedMetricException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public UndefinedMetricException()
        : this("metric", "its value is undefined for the data seen")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is undefined.</param>
    public UndefinedMetricException(string message)
        : base(message)
    {
        MetricName = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is undefined.</param>
    /// <param name="innerException">The cause.</param>
    public UndefinedMetricException(string message, Exception innerException)
        : base(message, innerException)
    {
        MetricName = string.Empty;
        Reason = message;
    }

    /// <summary>Creates the exception for a metric and the reason its value is undefined.</summary>
    /// <param name="metricName">The metric's name, such as <c>roc_auc</c>.</param>
    /// <param name="reason">Why, in a phrase that follows "undefined:", such as "the targets hold only negatives this epoch".</param>
    /// <exception cref="ArgumentException">Either argument is null or empty.</exception>
    public UndefinedMetricException(string metricName, string reason)
        : base(Describe(metricName, reason))
    {
        MetricName = metricName;
        Reason = reason;
    }

    /// <summary>The metric's name; empty when created from a message alone.</summary>
    public string MetricName { get; }

    /// <summary>Why the value is undefined.</summary>
    public string Reason { get; }

    private static string Describe(string metricName, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return $"Metric '{metricName}' is undefined: {reason}.";
    }
}
