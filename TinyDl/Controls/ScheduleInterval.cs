namespace TinyDl.Controls;

/// <summary>When a <see cref="LearningRateSchedule"/> steps its scheduler.</summary>
public enum ScheduleInterval
{
    /// <summary>After every training epoch (or, with a monitor, after the monitored stage's epoch).</summary>
    Epoch,

    /// <summary>After every training batch (global step).</summary>
    Batch,
}
