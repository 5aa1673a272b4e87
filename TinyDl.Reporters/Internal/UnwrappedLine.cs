using Spectre.Console;
using Spectre.Console.Rendering;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// One line of text written as it is, never wrapped or cropped at the console's width (a wide table
/// row in a redirected log must stay one line); styles apply only where the console supports them.
/// </summary>
/// <param name="parts">The line's text pieces, each with its style (<see cref="Style.Plain"/> for none).</param>
internal sealed class UnwrappedLine(IReadOnlyList<(string Text, Style Style)> parts) : IRenderable
{
    /// <summary>A line of plain text.</summary>
    public UnwrappedLine(string text, Style? style = null)
        : this([(text, style ?? Style.Plain)])
    {
    }

    /// <inheritdoc />
    public Measurement Measure(RenderOptions options, int maxWidth)
    {
        var width = parts.Sum(p => p.Text.Length);
        return new Measurement(width, width);
    }

    /// <inheritdoc />
    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth)
    {
        foreach (var (text, style) in parts)
        {
            yield return new Segment(text, style);
        }

        yield return Segment.LineBreak;
    }
}
