using System.Globalization;
using System.Text;
using TinyDl.Examples;

namespace TinyDl.Cli;

/// <summary>The sbatch script of <c>tinydl sweep slurm</c>: a job array, one task per shard.</summary>
internal static class SlurmScript
{
    /// <summary>What the script runs and how.</summary>
    public sealed record Settings(string SweepFile, long Experiments, int Tasks, string Root, string Worker, string? WorkerArgs)
    {
        public bool Requeue { get; init; }

        public int WarningSeconds { get; init; } = 120;

        public string? Time { get; init; }

        public string? Partition { get; init; }

        public string Logs { get; init; } = "";
    }

    public static string Write(Settings settings)
    {
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        Line("#!/bin/bash");
        Line("#SBATCH --job-name=tinydl-sweep");
        Line(Invariant($"#SBATCH --array=0-{settings.Tasks - 1}"));
        Line($"#SBATCH --output={settings.Logs}/%A_%a.out");
        Line("#SBATCH --open-mode=append");
        Line("#SBATCH --cpus-per-task=1");
        Line(Invariant($"#SBATCH --signal=B:USR1@{settings.WarningSeconds}"));
        Line(settings.Requeue ? "#SBATCH --requeue" : "#SBATCH --no-requeue");
        if (settings.Time is { } time)
        {
            Line($"#SBATCH --time={time}");
        }

        if (settings.Partition is { } partition)
        {
            Line($"#SBATCH --partition={partition}");
        }

        Line($"# Written by tinydl sweep slurm: {settings.Experiments} experiments of {settings.SweepFile}");
        Line(Invariant($"# over {settings.Tasks} array tasks ({SweepCommand.Shares((int)Math.Min(settings.Experiments, int.MaxValue), settings.Tasks)}); each task runs its shard, from SLURM_ARRAY_TASK_ID."));
        Line("# Submit with: sbatch THIS_FILE. Watch with: tinydl sweep status " + Quote(settings.Root) + " --sweep " + Quote(settings.SweepFile));
        Line("set -u");
        Line("echo \"tinydl worker: job ${SLURM_JOB_ID}, array task ${SLURM_ARRAY_TASK_ID} of ${SLURM_ARRAY_TASK_COUNT} (job ${SLURM_ARRAY_JOB_ID}), SLURM_RESTART_COUNT=${SLURM_RESTART_COUNT:-0}, on $(hostname)\"");
        Line("");
        Line("# Slurm's warning signal (--signal=B:USR1) goes to this batch shell only, so the shell forwards it (and");
        Line("# SIGTERM, sent on preemption and scancel) to the worker, which finishes its batch, checkpoints, marks the");
        Line(Invariant($"# run stopped and exits with {ExitCodes.Requeue}. Without the requeue step below, `exec WORKER ...` does the same:"));
        Line("# the worker then is the batch shell and gets the signal itself.");
        Line($"{settings.Worker} --sweep {Quote(settings.SweepFile)} --shard slurm --out {Quote(settings.Root)}{(settings.WorkerArgs is { Length: > 0 } more ? " " + more : "")} &");
        Line("worker=$!");
        Line("trap 'kill -USR1 \"$worker\" 2>/dev/null' USR1");
        Line("trap 'kill -TERM \"$worker\" 2>/dev/null' TERM");
        Line("# wait returns early when a trap runs; wait again until the worker is gone (bash keeps its exit status).");
        Line("while :; do wait \"$worker\"; code=$?; kill -0 \"$worker\" 2>/dev/null || break; done");
        Line("echo \"tinydl worker: exit code $code\"");
        if (settings.Requeue)
        {
            Line(Invariant($"if [ \"$code\" -eq {ExitCodes.Requeue} ]; then"));
            Line("  echo \"tinydl worker: stopped for preemption; requeueing job ${SLURM_JOB_ID}\"");
            Line("  scontrol requeue \"${SLURM_JOB_ID}\"");
            Line("fi");
        }

        Line("exit \"$code\"");
        return s.ToString();
    }

    private static string Quote(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or '+' or ',') ? text : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
