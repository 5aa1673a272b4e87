using System.Globalization;
using System.Text;

namespace TinyDl.Reporters.Internal;

/// <summary>Where the prediction reporters write: <c>&lt;run&gt;/predictions/&lt;stage&gt;-epoch-&lt;NNNN&gt;-&lt;kind&gt;.&lt;ext&gt;</c>, each file atomically.</summary>
internal static class PredictionFiles
{
    public const string Folder = "predictions";

    public static string PathOf(string directory, Stage stage, int epoch, string kind, string extension) =>
        Path.Combine(directory, Folder, string.Create(CultureInfo.InvariantCulture, $"{stage.ToName()}-epoch-{epoch:0000}-{kind}.{extension}"));

    public static void Write(string path, string text) => AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));

    public static void Write(string path, byte[] bytes) => AtomicFile.Write(path, bytes);

    /// <summary>A CSV field, quoted when it holds a comma, quote or line break.</summary>
    public static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;

    public static IReadOnlyList<string> CheckLabels(IReadOnlyList<string> labels, string name)
    {
        ArgumentNullException.ThrowIfNull(labels, name);
        if (labels.Count < 2 || labels.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Give at least two class labels, none null or empty.", name);
        }

        return [.. labels];
    }
}
