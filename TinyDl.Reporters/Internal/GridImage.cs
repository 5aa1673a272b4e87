using System.Globalization;
using SkiaSharp;

namespace TinyDl.Reporters.Internal;

/// <summary>A grid of predictions as a PNG: each image scaled up, with its true and predicted label and the predicted probability under it.</summary>
internal static class GridImage
{
    public const int Columns = 8;
    public const int Scale = 3;
    public const int Caption = 30;
    public const int Padding = 6;
    public const int TitleHeight = 26;

    public static (int Width, int Height) Size(int count, int imageHeight, int imageWidth)
    {
        var columns = Math.Min(Columns, Math.Max(count, 1));
        var rows = Math.Max(1, (count + Columns - 1) / Columns);
        var cellWidth = Math.Max(imageWidth * Scale, 84) + Padding;
        var cellHeight = (imageHeight * Scale) + Caption + Padding;
        return ((columns * cellWidth) + Padding, TitleHeight + (rows * cellHeight) + Padding);
    }

    public static byte[] Png(IReadOnlyList<PredictionEntry> entries, int imageHeight, int imageWidth, IReadOnlyList<string> labels, string title)
    {
        var (width, height) = Size(entries.Count, imageHeight, imageWidth);
        var cellWidth = Math.Max(imageWidth * Scale, 84) + Padding;
        var cellHeight = (imageHeight * Scale) + Caption + Padding;
        using var drawing = new Drawing(width, height);
        using var titlePaint = Drawing.Text(14, SKColors.Black);
        using var truePaint = Drawing.Text(10, SKColors.Black);
        using var right = Drawing.Text(10, new SKColor(0, 120, 0));
        using var wrong = Drawing.Text(10, new SKColor(190, 0, 0));
        drawing.Canvas.DrawText(entries.Count == 0 ? title + " (none)" : title, Padding, 18, titlePaint);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var x = Padding + ((i % Columns) * cellWidth);
            var y = TitleHeight + ((i / Columns) * cellHeight);
            drawing.Grey(Scaled(entry.Pixels), imageHeight, imageWidth, x, y, Scale);
            var textY = y + (imageHeight * Scale) + 12;
            drawing.Label("true " + labels[entry.Target], x, textY, cellWidth - Padding, truePaint);
            var predicted = string.Create(CultureInfo.InvariantCulture, $"pred {labels[entry.Predicted]} {entry.Probability:0.00}");
            drawing.Label(predicted, x, textY + 12, cellWidth - Padding, entry.Predicted == entry.Target ? right : wrong);
        }

        return drawing.ToPng();
    }

    private static float[] Scaled(float[] pixels)
    {
        var (low, high) = (pixels.Min(), pixels.Max());
        var range = high > low ? high - low : 1;
        return [.. pixels.Select(p => (p - low) / range)];
    }
}
