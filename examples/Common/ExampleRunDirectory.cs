using TinyDl.Runs;

namespace TinyDl.Examples;

/// <summary>
/// An example's run directory, opened before any reporter exists: held by this process (a second one is
/// refused), checked to belong to the experiment, and prepared as <see cref="ResumeChoice"/> says, with one
/// line saying what was done. Dispose it after the run to release the lock.
/// </summary>
public sealed class ExampleRunDirectory : IDisposable
{
    private readonly RunDirectory _directory;
    private readonly ResumeChoice _choice;
    private readonly TextWriter _output;

    private ExampleRunDirectory(RunDirectory directory, ResumeChoice choice, TextWriter output)
    {
        _directory = directory;
        _choice = choice;
        _output = output;
    }

    /// <summary>The run directory (full path).</summary>
    public string Path => _directory.Path;

    /// <summary>The checkpoint directory.</summary>
    public string Checkpoints => _directory.Checkpoints;

    /// <summary>Opens the run directory of <paramref name="experiment"/> under <paramref name="root"/>.</summary>
    /// <param name="root">The <c>--out</c> directory.</param>
    /// <param name="experiment">The experiment.</param>
    /// <param name="choice">What to do with an earlier run.</param>
    /// <param name="output">Where the line about it goes.</param>
    /// <returns>The directory.</returns>
    /// <exception cref="RunDirectoryException">The directory is in use, another experiment's, or cannot be created.</exception>
    public static ExampleRunDirectory Open(string root, Experiment experiment, ResumeChoice choice, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(output);
        return new ExampleRunDirectory(RunDirectory.Open(root, experiment), choice, output);
    }

    /// <summary>
    /// Decides where the run starts: the resume point of <paramref name="checkpoints"/> when resuming (null
    /// when there is no checkpoint and the choice allows that), or null after keeping an earlier run aside
    /// or, with <c>--restart</c>, deleting it.
    /// </summary>
    /// <param name="checkpoints">The run's checkpointer, writing to <see cref="Checkpoints"/>.</param>
    /// <returns>The resume point, or null to start at epoch 1.</returns>
    /// <exception cref="CheckpointException">The checkpoint to resume from is damaged, missing (strict) or not this run's.</exception>
    public ResumePoint? Start(Checkpointer checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var name = _directory.Experiment.Name;
        if (_choice.From is { } file)
        {
            return checkpoints.ResumeFrom(System.IO.Path.IsPathRooted(file) ? file : System.IO.Path.Combine(Path, file));
        }

        if (_choice.Resume)
        {
            try
            {
                if (checkpoints.ResumePoint(_choice.Strict ? ResumeMode.Required : ResumeMode.IfAvailable) is { } from)
                {
                    return from;
                }
            }
            catch (CheckpointException error) when (error.Alternatives.Count > 0)
            {
                var alternative = System.IO.Path.GetRelativePath(Path, error.Alternatives[0]);
                throw new CheckpointException($"{error.Message} For instance: --resume-from {alternative}", error.Path, error.Alternatives, error);
            }

            var kept = _directory.KeepAside();
            _output.WriteLine(kept is null
                ? $"No checkpoint of {name} yet; starting at epoch 1."
                : $"No checkpoint of {name}; kept its earlier files aside in {kept}; starting at epoch 1.");
            return null;
        }

        if (_choice.Restart)
        {
            if (_directory.Discard() > 0)
            {
                _output.WriteLine($"Deleted the earlier run of {name} (--restart); starting at epoch 1.");
            }

            return null;
        }

        if (_directory.KeepAside() is { } aside)
        {
            _output.WriteLine($"Kept the earlier run of {name} aside in {aside}; starting afresh (--resume would have continued it).");
        }

        return null;
    }

    /// <summary>Releases the run directory.</summary>
    public void Dispose() => _directory.Dispose();
}
