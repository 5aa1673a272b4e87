using System.Globalization;
using Spectre.Console;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// A single line within an epoch showing batches done, rate and ETA, redrawn in place with a carriage
/// return and an erase-in-line sequence. Only for interactive consoles that understand ANSI.
/// </summary>
internal sealed class ProgressLine(IAnsiConsole console, TimeProvider time)
{
    private const int BarWidth = 20;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private EpochStarted? _epoch;
    private long _started;
    private long? _drawn;
    private bool _visible;

    /// <summary>Starts a stage's epoch.</summary>
    public void Start(EpochStarted e)
    {
        _epoch = e;
        _started = time.GetTimestamp();
        _drawn = null;
    }

    /// <summary>Notes a completed batch; redraws the line at most every 100 ms.</summary>
    public void Update(int batch)
    {
        if (_epoch is null)
        {
            return;
        }

        var now = time.GetTimestamp();
        if (_drawn is { } drawn && time.GetElapsedTime(drawn, now) < RedrawInterval)
        {
            return;
        }

        _drawn = now;
        var text = Text(_epoch, batch, time.GetElapsedTime(_started, now));
        var width = Math.Max(1, console.Profile.Width - 1);
        text = text.Length > width ? text[..width] : text;
        console.WriteAnsi(w =>
        {
            w.Write("\r");
            w.EraseInLine(2);
            w.Write(text);
        });
        _visible = true;
    }

    /// <summary>Removes the line, if shown, leaving the cursor at the start of the empty line.</summary>
    public void Clear()
    {
        _epoch = null;
        if (!_visible)
        {
            return;
        }

        _visible = false;
        console.WriteAnsi(w =>
        {
            w.Write("\r");
            w.EraseInLine(2);
        });
    }

    /// <summary>The progress text, such as <c>epoch 1 train 5/10 [##########----------] 2.5 batches/s ETA 00:02</c>.</summary>
    internal static string Text(EpochStarted epoch, int batch, TimeSpan elapsed)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = string.Create(inv, $"epoch {epoch.Epoch} {epoch.Stage.ToName()} ");
        if (epoch.Batches is { } total && total > 0)
        {
            var filled = (int)Math.Clamp((long)batch * BarWidth / total, 0, BarWidth);
            text += string.Create(inv, $"{batch}/{total} [{new string('#', filled)}{new string('-', BarWidth - filled)}]");
        }
        else
        {
            text += string.Create(inv, $"{batch} batches");
        }

        if (elapsed <= TimeSpan.Zero)
        {
            return text;
        }

        var rate = batch / elapsed.TotalSeconds;
        text += string.Create(inv, $" {rate:F1} batches/s");
        if (epoch.Batches is { } all && all > 0 && rate > 0)
        {
            var eta = TimeSpan.FromSeconds(Math.Min(Math.Max(0, all - batch) / rate, 359_999));
            text += " ETA " + eta.ToString(eta.TotalHours >= 1 ? @"h\:mm\:ss" : @"mm\:ss", inv);
        }

        return text;
    }
}
