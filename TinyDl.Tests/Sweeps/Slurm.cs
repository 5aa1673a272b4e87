using System.Diagnostics;

namespace TinyDl.Tests.Sweeps;

/// <summary>The Slurm commands (sbatch, squeue, scancel, scontrol, sinfo) of a running cluster, each bounded.</summary>
internal static class Slurm
{
    /// <summary>Fails the test, saying how to start Slurm, unless a node takes jobs.</summary>
    public static void RequireRunning()
    {
        var (code, output) = TryRun("sinfo", "-h", "-o", "%t");
        if (code != 0 || !output.Split('\n').Any(s => s.Trim() is "idle" or "mix" or "alloc"))
        {
            Assert.Fail($"Slurm is not running here (sinfo: exit {code}, '{output.Trim()}'). This test submits to a real Slurm: install it with "
                + "`apt-get install -y slurm-wlm munge` and start it as root with `tools/slurm/start.sh` (CI's .ci/run does both; tools/slurm/stop.sh stops it).");
        }
    }

    /// <summary>Runs a Slurm command and returns its standard output; fails the test when it fails.</summary>
    public static string Run(string command, params string[] arguments)
    {
        var (code, output) = TryRun(command, arguments);
        Assert.That(code, Is.Zero, $"{command} {string.Join(' ', arguments)} failed: {output}");
        return output;
    }

    public static (int Code, string Output) TryRun(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
                return (-1, $"{command} did not answer within 30 s");
            }

            return (process.ExitCode, output.Result + error.Result);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return (-1, $"{command} cannot be started: {error.Message}");
        }
    }

    /// <summary>The state and reason of a job (array task) as squeue shows them, such as <c>PENDING BeginTime</c>; empty once it left the queue.</summary>
    public static string State(string job) => TryRun("squeue", "-h", "-j", job, "-o", "%T %r").Output.Trim();
}
