using System.Globalization;
using System.Text;
using TinyDl.Examples;

namespace TinyDl.Cli;

/// <summary>
/// The Kubernetes manifest of <c>tinydl sweep k8s</c>: a ConfigMap holding the sweep file and an Indexed Job
/// (<c>completionMode: Indexed</c>) whose pod <c>JOB_COMPLETION_INDEX</c> runs shard INDEX of the completions,
/// writing to a shared volume. Preemption (the <c>DisruptionTarget</c> condition) and the worker's requeue exit
/// code are ignored by the pod failure policy: the pod is replaced without counting against the backoff limit.
/// </summary>
internal static class IndexedJobManifest
{
    /// <summary>Where the pods mount the run root and the sweep file.</summary>
    public const string RunsPath = "/runs";

    public const string SweepPath = "/sweep/sweep.json";

    /// <summary>What the manifest runs and where.</summary>
    public sealed record Settings(string Name, string SweepText, int Completions, int Parallelism, string Image, string Claim, string Worker, string? WorkerArgs);

    public static string Write(Settings settings)
    {
        var command = settings.Worker.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string[] args = ["--sweep", SweepPath, "--shard", Invariant($"k8s/{settings.Completions}"), "--out", RunsPath, .. (settings.WorkerArgs ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        Line("# Written by tinydl sweep k8s. Apply with: kubectl apply -f THIS_FILE");
        Line("apiVersion: v1");
        Line("kind: ConfigMap");
        Line("metadata:");
        Line($"  name: {settings.Name}");
        Line("data:");
        Line("  sweep.json: |");
        foreach (var line in settings.SweepText.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            Line("    " + line);
        }

        Line("---");
        Line("apiVersion: batch/v1");
        Line("kind: Job");
        Line("metadata:");
        Line($"  name: {settings.Name}");
        Line("spec:");
        Line("  completionMode: Indexed");
        Line(Invariant($"  completions: {settings.Completions}"));
        Line(Invariant($"  parallelism: {settings.Parallelism}"));
        Line("  # Each index (shard) may fail this often before it counts as failed; the others go on.");
        Line("  backoffLimitPerIndex: 2");
        Line("  podFailurePolicy:");
        Line("    rules:");
        Line("    # Evicted or preempted pods (the node drained, a higher priority pod) do not count as failures.");
        Line("    - action: Ignore");
        Line("      onPodConditions:");
        Line("      - type: DisruptionTarget");
        Line(Invariant($"    # Exit code {ExitCodes.Requeue}: the worker was stopped by SIGTERM, checkpointed, and asks to be run again."));
        Line("    - action: Ignore");
        Line("      onExitCodes:");
        Line("        containerName: worker");
        Line("        operator: In");
        Line(Invariant($"        values: [{ExitCodes.Requeue}]"));
        Line("  template:");
        Line("    spec:");
        Line("      restartPolicy: Never");
        Line("      # Time for the worker to finish its batch and write its checkpoint after SIGTERM.");
        Line("      terminationGracePeriodSeconds: 120");
        Line("      containers:");
        Line("      - name: worker");
        Line($"        image: {Scalar(settings.Image)}");
        Line($"        command: [{string.Join(", ", command.Select(Scalar))}]");
        Line($"        args: [{string.Join(", ", args.Select(Scalar))}]");
        Line("        volumeMounts:");
        Line("        - name: runs");
        Line($"          mountPath: {RunsPath}");
        Line("        - name: sweep");
        Line("          mountPath: /sweep");
        Line("          readOnly: true");
        Line("      volumes:");
        Line("      - name: runs");
        Line("        # A ReadWriteMany claim: every pod writes its runs to the same run root.");
        Line("        persistentVolumeClaim:");
        Line($"          claimName: {settings.Claim}");
        Line("      - name: sweep");
        Line("        configMap:");
        Line($"          name: {settings.Name}");
        return s.ToString();
    }

    private static string Scalar(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
