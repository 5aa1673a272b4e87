using System.Globalization;

namespace TinyDl;

/// <summary>
/// One worker's share of a sweep: shard <see cref="Index"/> of <see cref="Count"/> (from 0) holds the
/// experiments at positions <c>Index</c>, <c>Index + Count</c>, ... of the grid, so every experiment is in
/// exactly one shard, an array with fewer tasks than experiments gives each several, and a shard beyond the
/// last experiment is empty. Read it from the scheduler's own variables (<see cref="FromSlurm"/>,
/// <see cref="FromIndexedJob"/>) or from text (<see cref="Parse"/>, <c>3/8</c>).
/// </summary>
public sealed record Shard
{
    /// <summary>Creates shard <paramref name="index"/> of <paramref name="count"/>.</summary>
    /// <param name="index">The shard, from 0 to <paramref name="count"/> - 1.</param>
    /// <param name="count">The number of shards (workers), at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">The count is not positive or the index is not below it.</exception>
    public Shard(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (index < 0 || index >= count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"Shard index {index} is out of range: with {count} shards it is from 0 to {count - 1}.");
        }

        Index = index;
        Count = count;
    }

    /// <summary>The shard, from 0.</summary>
    public int Index { get; }

    /// <summary>The number of shards.</summary>
    public int Count { get; }

    /// <summary>The whole sweep as one shard.</summary>
    public static Shard All { get; } = new(0, 1);

    /// <summary>Parses <c>INDEX/COUNT</c>, such as <c>3/8</c> (index from 0).</summary>
    /// <param name="text">The text.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="FormatException">The text is not two whole numbers with the index below the count.</exception>
    public static Shard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('/');
        if (parts.Length != 2 || !Whole(parts[0], out var index) || !Whole(parts[1], out var count) || count == 0)
        {
            throw new FormatException($"'{text}' is not a shard; write INDEX/COUNT with the index from 0, such as 3/8.");
        }

        return index < count ? new Shard(index, count)
            : throw new FormatException($"Shard index {index} is out of range: with {count} shards it is from 0 to {count - 1}.");
    }

    /// <summary>
    /// The shard of a Slurm job-array task: <c>SLURM_ARRAY_TASK_ID</c> with <c>SLURM_ARRAY_TASK_MIN</c>,
    /// <c>SLURM_ARRAY_TASK_STEP</c> (default 1) and <c>SLURM_ARRAY_TASK_COUNT</c> (or <c>SLURM_ARRAY_TASK_MAX</c>).
    /// The array must be a range (<c>--array=0-7</c>, <c>1-15:2</c>, with or without a <c>%</c> limit).
    /// </summary>
    /// <param name="variables">Reads an environment variable, such as <see cref="Environment.GetEnvironmentVariable(string)"/>.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="InvalidOperationException">The variables are missing (not an array task), not numbers, or not a range.</exception>
    public static Shard FromSlurm(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var id = Variable(variables, "SLURM_ARRAY_TASK_ID", "this is not a Slurm array task (submit with sbatch --array)");
        var min = Variable(variables, "SLURM_ARRAY_TASK_MIN", "Slurm did not set it");
        var step = variables("SLURM_ARRAY_TASK_STEP") is { Length: > 0 } ? Variable(variables, "SLURM_ARRAY_TASK_STEP", "") : 1;
        var count = variables("SLURM_ARRAY_TASK_COUNT") is { Length: > 0 }
            ? Variable(variables, "SLURM_ARRAY_TASK_COUNT", "")
            : ((Variable(variables, "SLURM_ARRAY_TASK_MAX", "Slurm set neither it nor SLURM_ARRAY_TASK_COUNT") - min) / Math.Max(step, 1)) + 1;
        if (step < 1 || id < min || (id - min) % step != 0 || (id - min) / step >= count)
        {
            throw new InvalidOperationException(
                $"The Slurm array is not a range TinyDl can shard (SLURM_ARRAY_TASK_ID={id}, MIN={min}, STEP={step}, COUNT={count}); submit with --array=0-{count - 1}.");
        }

        return new Shard((id - min) / step, count);
    }

    /// <summary>The shard of a Kubernetes Indexed Job's pod: <c>JOB_COMPLETION_INDEX</c> of <paramref name="completions"/>.</summary>
    /// <param name="variables">Reads an environment variable.</param>
    /// <param name="completions">The Job's <c>completions</c>: the number of shards.</param>
    /// <returns>The shard.</returns>
    /// <exception cref="InvalidOperationException">The variable is missing or not a number, or the index is not below the completions.</exception>
    public static Shard FromIndexedJob(Func<string, string?> variables, int completions)
    {
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(completions);
        var index = Variable(variables, "JOB_COMPLETION_INDEX", "this is not a pod of an Indexed Job (completionMode: Indexed)");
        return index < completions ? new Shard(index, completions)
            : throw new InvalidOperationException($"JOB_COMPLETION_INDEX={index} is out of range: with {completions} completions it is from 0 to {completions - 1}.");
    }

    /// <summary>Whether the experiment at <paramref name="position"/> (from 0) of the grid is in this shard.</summary>
    /// <param name="position">The position in <see cref="Hyperparameter.GetExperiments()"/>.</param>
    /// <returns>True when it is.</returns>
    public bool Contains(long position) => position >= 0 && position % Count == Index;

    /// <summary>The items of this shard, in order.</summary>
    /// <typeparam name="T">The items' type.</typeparam>
    /// <param name="items">All items, such as the experiments of a grid.</param>
    /// <returns>The items at the shard's positions.</returns>
    public IEnumerable<T> Of<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Where((_, position) => Contains(position));
    }

    /// <summary>How many of <paramref name="total"/> items are in this shard.</summary>
    /// <param name="total">The number of items, such as <see cref="Hyperparameter.ExperimentCount"/>.</param>
    /// <returns>The shard's size; 0 when the shard is beyond the last item.</returns>
    public long SizeOf(long total) => total <= Index ? 0 : ((total - 1 - Index) / Count) + 1;

    /// <summary>The shard as <c>INDEX/COUNT</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");

    private static bool Whole(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static int Variable(Func<string, string?> variables, string name, string missing)
    {
        var text = variables(name);
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidOperationException($"{name} is not set: {missing}.");
        }

        return Whole(text, out var value) ? value : throw new InvalidOperationException($"{name}='{text}' is not a whole number.");
    }
}
