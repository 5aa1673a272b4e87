namespace TinyDl.Board;

/// <summary>What the board shows and how: the directory of the runs, how many points a curve keeps, how often live runs are looked at.</summary>
public sealed class BoardOptions
{
    /// <summary>The directory of the runs, as for <c>tinydl highscores</c> (runs directly under it or one level deeper).</summary>
    /// <exception cref="ArgumentException">The value is null or white space.</exception>
    public required string Root
    {
        get;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value);
            field = Path.GetFullPath(value);
        }
    }

    /// <summary>The most points one curve sends to the page; longer curves are downsampled on the server, keeping each bucket's lowest and highest value. Defaults to 2,000.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 10.</exception>
    public int MaxPoints
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 10);
            field = value;
        }
    } = 2000;

    /// <summary>How often the live-update stream looks at the files of the runs it watches (one file-size check per run). Defaults to 500 ms.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public TimeSpan PollInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromMilliseconds(500);
}
