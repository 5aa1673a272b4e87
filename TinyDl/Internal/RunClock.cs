namespace TinyDl.Internal;

/// <summary>Time since a run (or a stand-alone epoch) started, read from a <see cref="TimeProvider"/>.</summary>
internal sealed class RunClock(TimeProvider timeProvider)
{
    private long _start = timeProvider.GetTimestamp();

    public TimeProvider TimeProvider => timeProvider;

    public TimeSpan Elapsed => timeProvider.GetElapsedTime(_start);

    public long Timestamp => timeProvider.GetTimestamp();

    public void Restart() => _start = timeProvider.GetTimestamp();
}
