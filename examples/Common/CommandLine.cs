using System.Globalization;

namespace TinyDl.Examples;

/// <summary>
/// The examples' command lines: <c>--name value</c> or <c>--name=value</c> options and <c>--flag</c>s, each
/// at most once, and typed reads of the values, every mistake an <see cref="OptionsException"/> naming the
/// option and what it must be.
/// </summary>
public static class CommandLine
{
    /// <summary>The exit code of a wrong command line.</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// Parses a program's command line. On a mistake, writes it and the usage text to standard error; on
    /// help, writes the usage text to standard output. Either way the program should then exit.
    /// </summary>
    /// <typeparam name="TOptions">The program's options.</typeparam>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <param name="parse">Parses the arguments; throws <see cref="OptionsException"/> on a mistake.</param>
    /// <param name="usage">The usage text.</param>
    /// <param name="isHelp">Whether the parsed options ask for help.</param>
    /// <returns>The options to run with, or null and the exit code: 0 after help, <see cref="UsageExitCode"/> after a mistake.</returns>
    public static (TOptions? Options, int ExitCode) ParseOrExit<TOptions>(
        IReadOnlyList<string> args, Func<IReadOnlyList<string>, TOptions> parse, string usage, Func<TOptions, bool> isHelp)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(isHelp);
        TOptions options;
        try
        {
            options = parse(args);
        }
        catch (OptionsException error)
        {
            Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine();
            Console.Error.WriteLine(usage);
            return (null, UsageExitCode);
        }

        if (isHelp(options))
        {
            Console.WriteLine(usage);
            return (null, 0);
        }

        return (options, 0);
    }

    /// <summary>Splits a command line into options and their values (null for a flag).</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <param name="valued">The options that take a value.</param>
    /// <param name="flags">The options that take none.</param>
    /// <returns>The options given, by name.</returns>
    /// <exception cref="OptionsException">An argument is not an option, an option is unknown or repeated, a flag has a value or an option lacks one.</exception>
    public static IReadOnlyDictionary<string, string?> Parse(IReadOnlyList<string> args, IReadOnlyList<string> valued, IReadOnlyList<string> flags) =>
        Parse(args, valued, flags, []);

    /// <summary>Splits a command line into options and their values (null for a flag, or an optional value not given).</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <param name="valued">The options that take a value.</param>
    /// <param name="flags">The options that take none.</param>
    /// <param name="optional">The options whose value may be left out (<c>--sweep</c> or <c>--sweep FILE</c>).</param>
    /// <returns>The options given, by name.</returns>
    /// <exception cref="OptionsException">An argument is not an option, an option is unknown or repeated, a flag has a value or an option lacks one.</exception>
    public static IReadOnlyDictionary<string, string?> Parse(IReadOnlyList<string> args, IReadOnlyList<string> valued, IReadOnlyList<string> flags, IReadOnlyList<string> optional)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(optional);
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionsException($"Unexpected argument '{arg}'; options start with '--' (see --help).") { Option = arg };
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            var value = equals < 0 ? null : arg[(equals + 1)..];
            if (optional.Contains(name))
            {
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }

                if (value is not null && string.IsNullOrWhiteSpace(value))
                {
                    throw new OptionsException($"Option {name} has an empty value; give '{name}' alone or '{name} VALUE'.") { Option = name };
                }
            }
            else if (flags.Contains(name))
            {
                if (value is not null)
                {
                    throw new OptionsException($"Option {name} takes no value; got '{value}'.") { Option = name, Value = value };
                }
            }
            else if (valued.Contains(name))
            {
                if (value is null && i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    value = args[++i];
                }

                if (string.IsNullOrWhiteSpace(value))
                {
                    throw new OptionsException($"Option {name} needs a value, as in '{name} VALUE' or '{name}=VALUE'.") { Option = name };
                }
            }
            else
            {
                throw new OptionsException($"Unknown option '{name}'. Known options: {string.Join(", ", valued.Concat(optional).Concat(flags))}.") { Option = name };
            }

            if (!given.TryAdd(name, value))
            {
                throw new OptionsException($"Option {name} is given more than once.") { Option = name, Value = value };
            }
        }

        return given;
    }

    /// <summary>An integer option of at least <paramref name="minimum"/>, or <paramref name="fallback"/> when not given.</summary>
    /// <param name="given">The parsed options.</param>
    /// <param name="name">The option.</param>
    /// <param name="fallback">The default.</param>
    /// <param name="minimum">The smallest value allowed: 1 (the default) or 0.</param>
    /// <returns>The value.</returns>
    /// <exception cref="OptionsException">The value is not such an integer.</exception>
    public static int WholeNumber(IReadOnlyDictionary<string, string?> given, string name, int fallback, int minimum = 1) =>
        !given.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum ? value
        : throw Bad(name, text!, minimum == 1 ? "a positive integer" : $"an integer from {minimum} to {int.MaxValue}");

    /// <summary>A seed: a non-negative 64-bit integer, or <paramref name="fallback"/> when not given.</summary>
    /// <param name="given">The parsed options.</param>
    /// <param name="name">The option.</param>
    /// <param name="fallback">The default.</param>
    /// <returns>The value.</returns>
    /// <exception cref="OptionsException">The value is not a non-negative integer.</exception>
    public static long Seed(IReadOnlyDictionary<string, string?> given, string name, long fallback) =>
        !given.TryGetValue(name, out var text) ? fallback
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value
        : throw Bad(name, text!, "a non-negative integer");

    /// <summary>A positive, finite number, or <paramref name="fallback"/> when not given.</summary>
    /// <param name="given">The parsed options.</param>
    /// <param name="name">The option.</param>
    /// <param name="fallback">The default.</param>
    /// <param name="examples">Examples for the message, such as <c>0.001 or 1e-3</c>.</param>
    /// <returns>The value.</returns>
    /// <exception cref="OptionsException">The value is not a positive, finite number.</exception>
    public static double PositiveNumber(IReadOnlyDictionary<string, string?> given, string name, double fallback, string examples) =>
        !given.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 ? value
        : throw Bad(name, text!, $"a positive, finite number such as {examples}");

    /// <summary>One of <paramref name="allowed"/> (exactly as written), or <paramref name="fallback"/> when not given.</summary>
    /// <param name="given">The parsed options.</param>
    /// <param name="name">The option.</param>
    /// <param name="allowed">The values allowed.</param>
    /// <param name="fallback">The default.</param>
    /// <returns>The value.</returns>
    /// <exception cref="OptionsException">The value is not one of them.</exception>
    public static string OneOf(IReadOnlyDictionary<string, string?> given, string name, IReadOnlyList<string> allowed, string fallback) =>
        !given.TryGetValue(name, out var text) ? fallback
        : allowed.Contains(text!) ? text!
        : throw Bad(name, text!, $"one of {string.Join(", ", allowed)}");

    /// <summary>The error for a bad value.</summary>
    /// <param name="name">The option.</param>
    /// <param name="value">The value given.</param>
    /// <param name="expected">What it must be.</param>
    /// <returns>The exception to throw.</returns>
    public static OptionsException Bad(string name, string value, string expected) =>
        new($"Option {name} must be {expected}; got '{value}'.") { Option = name, Value = value };
}
