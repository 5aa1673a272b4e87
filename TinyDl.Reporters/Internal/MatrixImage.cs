using System.Globalization;
using SkiaSharp;

namespace TinyDl.Reporters.Internal;

/// <summary>A confusion matrix as a PNG: rows the true class, columns the predicted class, each cell shaded by its share of its row and labelled with its count.</summary>
internal static class MatrixImage
{
    public const int Cell = 44;
    public const int Left = 130;
    public const int Top = 120;

    public static (int Width, int Height) Size(int classes) => (Left + (classes * Cell) + 70, Top + (classes * Cell) + 30);

    public static byte[] Png(long[,] matrix, IReadOnlyList<string> labels, string title)
    {
        var n = matrix.GetLength(0);
        var (width, height) = Size(n);
        using var drawing = new Drawing(width, height);
        var canvas = drawing.Canvas;
        using var titlePaint = Drawing.Text(14, SKColors.Black);
        using var labelPaint = Drawing.Text(11, SKColors.Black);
        using var axisPaint = Drawing.Text(11, SKColors.DimGray);
        canvas.DrawText(title, 8, 18, titlePaint);
        canvas.DrawText("true \u2193  predicted \u2192", 8, Top - 6, axisPaint);
        for (var i = 0; i < n; i++)
        {
            long row = 0;
            for (var j = 0; j < n; j++)
            {
                row += matrix[i, j];
            }

            drawing.Label(labels[i], 8, Top + (i * Cell) + (Cell / 2f) + 4, Left - 14, labelPaint);
            for (var j = 0; j < n; j++)
            {
                var share = row == 0 ? 0 : matrix[i, j] / (double)row;
                var shade = (byte)(255 - (int)Math.Round(share * 200));
                using var fill = Drawing.Fill(i == j ? new SKColor(shade, 255, shade) : new SKColor(255, shade, shade));
                var x = Left + (j * Cell);
                var y = Top + (i * Cell);
                canvas.DrawRect(x, y, Cell - 1, Cell - 1, fill);
                using var count = Drawing.Text(11, SKColors.Black, SKTextAlign.Center);
                canvas.DrawText(matrix[i, j].ToString(CultureInfo.InvariantCulture), x + (Cell / 2f), y + (Cell / 2f) + 4, count);
            }
        }

        for (var j = 0; j < n; j++)
        {
            canvas.Save();
            canvas.Translate(Left + (j * Cell) + (Cell / 2f) + 4, Top - 22);
            canvas.RotateDegrees(-45);
            drawing.Label(labels[j], 0, 0, 110, labelPaint);
            canvas.Restore();
        }

        return drawing.ToPng();
    }
}
