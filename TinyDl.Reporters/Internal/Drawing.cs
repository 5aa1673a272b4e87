using SkiaSharp;

namespace TinyDl.Reporters.Internal;

/// <summary>
/// Rendering with SkiaSharp: a canvas of a given size, text in a font read from the system's font files
/// (the NoDependencies build of libSkiaSharp has no fontconfig, so fonts are loaded by path), and PNG output.
/// </summary>
internal sealed class Drawing : IDisposable
{
    private static readonly string[] FontFiles =
    [
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/TTF/DejaVuSans.ttf",
        "/System/Library/Fonts/Helvetica.ttc",
        @"C:\Windows\Fonts\arial.ttf",
    ];

    private static readonly Lazy<SKTypeface> Typeface = new(() =>
        FontFiles.Where(File.Exists).Select(SKTypeface.FromFile).FirstOrDefault(t => t is not null) ?? SKTypeface.Default);

    private readonly SKBitmap _bitmap;

    public Drawing(int width, int height)
    {
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        Canvas = new SKCanvas(_bitmap);
        Canvas.Clear(SKColors.White);
    }

    public SKCanvas Canvas { get; }

    public static SKPaint Text(float size, SKColor color, SKTextAlign align = SKTextAlign.Left) =>
        new() { Typeface = Typeface.Value, TextSize = size, Color = color, IsAntialias = true, TextAlign = align };

    public static SKPaint Fill(SKColor color) => new() { Color = color, Style = SKPaintStyle.Fill };

    /// <summary>Draws text shortened with an ellipsis to fit <paramref name="width"/>.</summary>
    public void Label(string text, float x, float y, float width, SKPaint paint)
    {
        var shown = text;
        while (shown.Length > 1 && paint.MeasureText(shown) > width)
        {
            shown = shown[..^2] + "…";
        }

        Canvas.DrawText(shown, x, y, paint);
    }

    /// <summary>Draws a grey image (values 0..1, row-major) as a block of <paramref name="scale"/>-pixel squares.</summary>
    public void Grey(ReadOnlySpan<float> pixels, int height, int width, float x, float y, int scale)
    {
        using var paint = new SKPaint { Style = SKPaintStyle.Fill };
        for (var r = 0; r < height; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var v = (byte)Math.Clamp((int)Math.Round(pixels[(r * width) + c] * 255), 0, 255);
                paint.Color = new SKColor(v, v, v);
                Canvas.DrawRect(x + (c * scale), y + (r * scale), scale, scale, paint);
            }
        }
    }

    public byte[] ToPng()
    {
        Canvas.Flush();
        using var image = SKImage.FromBitmap(_bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose()
    {
        Canvas.Dispose();
        _bitmap.Dispose();
    }
}
