using System.Globalization;
using TinyDl.Runs;

namespace TinyDl.Cli;

/// <summary>The arguments of <c>tinydl highscores</c>, as <c>--name value</c> or <c>--name=value</c>.</summary>
internal sealed record HighscoresOptions(string Directory, HighscoreQuery Query, string Format, bool Help)
{
    private static readonly string[] Formats = ["table", "csv", "markdown"];

    public static HighscoresOptions Parse(IReadOnlyList<string> args)
    {
        string? directory = null, sort = null;
        bool final = false, help = false;
        bool? descending = null;
        var where = new List<HyperparameterFilter>();
        var format = "table";
        int? top = null;
        for (var i = 0; i < args.Count; i++)
        {
            var (name, inline) = Split(args[i]);
            string Value() => inline ?? (i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value."));
            switch (name)
            {
                case "-h" or "--help":
                    help = true;
                    break;
                case "--sort":
                    sort = Value();
                    break;
                case "--final":
                    final = true;
                    break;
                case "--asc" or "--desc":
                    descending = descending is null || descending == (name == "--desc")
                        ? name == "--desc"
                        : throw new UsageException("Give --asc or --desc, not both.");
                    break;
                case "--where":
                    where.Add(ParseFilter(Value()));
                    break;
                case "--format":
                    format = Value().ToLowerInvariant();
                    if (!Formats.Contains(format))
                    {
                        throw new UsageException($"Unknown format '{format}'; use table, csv or markdown.");
                    }

                    break;
                case "--top":
                    var text = Value();
                    top = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n
                        : throw new UsageException($"--top needs a positive whole number, not '{text}'.");
                    break;
                case var _ when name.StartsWith('-'):
                    throw new UsageException($"Unknown option '{name}'.");
                default:
                    directory = directory is null ? args[i] : throw new UsageException($"Give one directory; '{args[i]}' is a second one.");
                    break;
            }
        }

        if (directory is null && !help)
        {
            throw new UsageException("Give the directory of the runs, such as: tinydl highscores runs");
        }

        var query = new HighscoreQuery { Metric = sort, Final = final, Descending = descending, Where = where, Top = top };
        return new HighscoresOptions(directory ?? "", query, format, help);
    }

    private static (string Name, string? Inline) Split(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return arg.StartsWith("--", StringComparison.Ordinal) && equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static HyperparameterFilter ParseFilter(string text)
    {
        try
        {
            return HyperparameterFilter.Parse(text);
        }
        catch (FormatException error)
        {
            throw new UsageException($"--where: {error.Message}");
        }
    }
}
