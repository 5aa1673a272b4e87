namespace TinyDl.Examples;

/// <summary>
/// What the examples do with a run directory that already holds a run, as the command line chose:
/// <c>--resume</c> (continue from the last checkpoint when there is one, else start at epoch 1),
/// <c>--resume-strict</c> (continue; fail when there is nothing to continue), <c>--resume-from FILE</c>
/// (continue from that checkpoint, such as <c>checkpoints/best.ckpt</c>), <c>--restart</c> (delete the
/// earlier run and start again); with none of them, an earlier run is kept aside in <c>previous-N/</c>.
/// </summary>
/// <param name="Resume">Whether to continue from a checkpoint.</param>
/// <param name="Strict">Whether a missing checkpoint is an error.</param>
/// <param name="From">The checkpoint file to continue from (relative to the run directory, or absolute); null for <c>last.ckpt</c>.</param>
/// <param name="Restart">Whether to delete the earlier run first.</param>
public sealed record ResumeChoice(bool Resume = false, bool Strict = false, string? From = null, bool Restart = false)
{
    /// <summary>The flags of the choice.</summary>
    public static IReadOnlyList<string> Flags { get; } = ["--resume", "--resume-strict", "--restart"];

    /// <summary>The options of the choice that take a value.</summary>
    public static IReadOnlyList<string> Valued { get; } = ["--resume-from"];

    /// <summary>Reads the choice from parsed options.</summary>
    /// <param name="given">The options given (<see cref="CommandLine.Parse"/>).</param>
    /// <returns>The choice.</returns>
    /// <exception cref="OptionsException">Options that contradict each other.</exception>
    public static ResumeChoice Parse(IReadOnlyDictionary<string, string?> given)
    {
        ArgumentNullException.ThrowIfNull(given);
        var resumes = new[] { "--resume", "--resume-strict", "--resume-from" }.Where(given.ContainsKey).ToList();
        if (resumes.Count > 1)
        {
            throw new OptionsException($"Give one of {string.Join(", ", resumes)}, not several.") { Option = resumes[1] };
        }

        if (given.ContainsKey("--restart") && resumes.Count > 0)
        {
            throw new OptionsException($"Option --restart starts afresh; it cannot be combined with {resumes[0]}.") { Option = "--restart" };
        }

        return new ResumeChoice(
            Resume: resumes.Count > 0,
            Strict: given.ContainsKey("--resume-strict"),
            From: given.GetValueOrDefault("--resume-from"),
            Restart: given.ContainsKey("--restart"));
    }
}
