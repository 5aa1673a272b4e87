namespace TinyDl.Tests.Core;

public sealed class ShardTests
{
    [TestCase(6, 3)]
    [TestCase(6, 4)]
    [TestCase(7, 7)]
    [TestCase(5, 8)]
    [TestCase(1, 1)]
    public void Every_experiment_is_in_exactly_one_shard(int experiments, int shards)
    {
        // Arrange
        var grid = new Hyperparameter { { "i", Enumerable.Range(0, experiments).Cast<object>().ToArray() } };

        // Act
        var parts = Enumerable.Range(0, shards).Select(i => grid.GetExperiments(new Shard(i, shards)).Select(e => e.Get<int>("i")).ToList()).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(parts.SelectMany(p => p).Order(), Is.EqualTo(Enumerable.Range(0, experiments)));
            Assert.That(parts.Select(p => p.Count), Is.EqualTo(Enumerable.Range(0, shards).Select(i => new Shard(i, shards).SizeOf(experiments))));
            Assert.That(parts.Max(p => p.Count) - parts.Min(p => p.Count), Is.LessThanOrEqualTo(1), "shares differ by one at most");
        });
    }

    [Test]
    public void A_shard_beyond_the_last_experiment_is_empty()
    {
        var grid = new Hyperparameter { { "lr", 0.1, 0.01 } };

        var shard = new Shard(5, 8);

        Assert.Multiple(() =>
        {
            Assert.That(grid.GetExperiments(shard), Is.Empty);
            Assert.That(shard.SizeOf(grid.ExperimentCount), Is.Zero);
        });
    }

    [Test]
    public void Parse_reads_index_slash_count_from_zero()
    {
        var shard = Shard.Parse("3/8");

        Assert.Multiple(() =>
        {
            Assert.That(shard, Is.EqualTo(new Shard(3, 8)));
            Assert.That(shard.ToString(), Is.EqualTo("3/8"));
        });
    }

    [TestCase("8/8", "Shard index 8 is out of range: with 8 shards it is from 0 to 7.")]
    [TestCase("3", "'3' is not a shard; write INDEX/COUNT with the index from 0, such as 3/8.")]
    [TestCase("-1/8", "'-1/8' is not a shard")]
    [TestCase("0/0", "'0/0' is not a shard")]
    [TestCase("a/b", "'a/b' is not a shard")]
    public void Parse_refuses_what_is_not_a_shard(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => Shard.Parse(text))!;

        Assert.That(error.Message, Does.StartWith(message));
    }

    [TestCase("0", "0", "5", null, "6", 0, 6)]
    [TestCase("7", "1", "15", "2", "8", 3, 8)]
    [TestCase("3", "1", "4", null, null, 2, 4)]
    [TestCase("10", "10", "12", "1", "3", 0, 3)]
    public void A_slurm_array_task_is_its_position_in_the_range(string id, string min, string max, string? step, string? count, int index, int shards)
    {
        // Arrange
        var variables = new Dictionary<string, string?>
        {
            ["SLURM_ARRAY_TASK_ID"] = id,
            ["SLURM_ARRAY_TASK_MIN"] = min,
            ["SLURM_ARRAY_TASK_MAX"] = max,
            ["SLURM_ARRAY_TASK_STEP"] = step,
            ["SLURM_ARRAY_TASK_COUNT"] = count,
        };

        // Act
        var shard = Shard.FromSlurm(variables.GetValueOrDefault);

        // Assert
        Assert.That(shard, Is.EqualTo(new Shard(index, shards)));
    }

    [Test]
    public void Outside_a_slurm_array_or_an_indexed_job_the_error_says_so()
    {
        var none = new Dictionary<string, string?>();

        var slurm = Assert.Throws<InvalidOperationException>(() => Shard.FromSlurm(none.GetValueOrDefault))!;
        var job = Assert.Throws<InvalidOperationException>(() => Shard.FromIndexedJob(none.GetValueOrDefault, 4))!;

        Assert.Multiple(() =>
        {
            Assert.That(slurm.Message, Is.EqualTo("SLURM_ARRAY_TASK_ID is not set: this is not a Slurm array task (submit with sbatch --array)."));
            Assert.That(job.Message, Is.EqualTo("JOB_COMPLETION_INDEX is not set: this is not a pod of an Indexed Job (completionMode: Indexed)."));
        });
    }

    [Test]
    public void An_irregular_slurm_array_or_an_index_beyond_the_completions_is_refused()
    {
        var irregular = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "4", ["SLURM_ARRAY_TASK_MIN"] = "1", ["SLURM_ARRAY_TASK_STEP"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "3" };
        var beyond = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "4" };

        var slurm = Assert.Throws<InvalidOperationException>(() => Shard.FromSlurm(irregular.GetValueOrDefault))!;
        var job = Assert.Throws<InvalidOperationException>(() => Shard.FromIndexedJob(beyond.GetValueOrDefault, 4))!;

        Assert.Multiple(() =>
        {
            Assert.That(slurm.Message, Does.StartWith("The Slurm array is not a range TinyDl can shard (SLURM_ARRAY_TASK_ID=4, MIN=1, STEP=2, COUNT=3)"));
            Assert.That(job.Message, Is.EqualTo("JOB_COMPLETION_INDEX=4 is out of range: with 4 completions it is from 0 to 3."));
        });
    }

    [Test]
    public void An_indexed_job_pod_is_its_completion_index()
    {
        var variables = new Dictionary<string, string?> { ["JOB_COMPLETION_INDEX"] = "2" };

        Assert.That(Shard.FromIndexedJob(variables.GetValueOrDefault, 4), Is.EqualTo(new Shard(2, 4)));
    }
}
