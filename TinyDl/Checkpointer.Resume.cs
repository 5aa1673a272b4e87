using TinyDl.Internal;
using static TorchSharp.torch;

namespace TinyDl;

/// <content>Where a run continues: the resume points a checkpointer offers, and the best weights after a run.</content>
public sealed partial class Checkpointer
{
    /// <summary>
    /// Where a run continues: from <c>last.ckpt</c> when it is there and intact; with
    /// <see cref="ResumeMode.IfAvailable"/>, null (start at epoch 1) when the directory holds no checkpoint.
    /// Never falls back silently: a damaged or missing <c>last.ckpt</c> next to other checkpoints is an error
    /// that lists the intact ones (resume from one with <see cref="ResumeFrom"/>).
    /// </summary>
    /// <param name="mode">What to do without a checkpoint.</param>
    /// <returns>The resume point, or null to start afresh.</returns>
    /// <exception cref="CheckpointException"><c>last.ckpt</c> is damaged or missing while other checkpoints are
    /// there, or there is none and <paramref name="mode"/> is <see cref="ResumeMode.Required"/>.</exception>
    public ResumePoint? ResumePoint(ResumeMode mode)
    {
        var files = Files();
        if (File.Exists(LastPath))
        {
            try
            {
                return ResumeFrom(LastPath);
            }
            catch (CheckpointException error)
            {
                var intact = Intact(files.Where(f => f != LastPath));
                throw new CheckpointException(
                    $"{error.Message} {(intact.Count == 0 ? "No other checkpoint of the run is intact; start afresh (the damaged run is kept aside)." : $"Intact: {Describe(intact)}; resume from one of them explicitly, or start afresh (the damaged run is kept aside).")}",
                    LastPath, [.. intact.Select(c => c.Path)], error);
            }
        }

        var others = Intact(files);
        if (others.Count > 0)
        {
            throw new CheckpointException(
                $"There is no last.ckpt in '{Directory}', but {Describe(others)} {(others.Count == 1 ? "is" : "are")} there; resume from one of them explicitly, or start afresh (they are kept aside).",
                Directory, [.. others.Select(c => c.Path)]);
        }

        return mode == ResumeMode.Required
            ? throw new CheckpointException($"Nothing to resume: there is no checkpoint in '{Directory}'. Run without resuming to start at epoch 1.", Directory)
            : null;
    }

    /// <summary>A resume point from one checkpoint file, such as <c>best.ckpt</c> when <c>last.ckpt</c> is damaged.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <returns>The resume point.</returns>
    /// <exception cref="CheckpointException">The file is missing, damaged, or a snapshot within an epoch.</exception>
    public ResumePoint ResumeFrom(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Read(path);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot resume from '{path}': {error.Message}", path, innerException: error);
        }

        if (checkpoint.WithinEpoch)
        {
            throw new CheckpointException($"'{path}' is a snapshot within epoch {checkpoint.Epoch + 1}; runs resume from the end of an epoch (last.ckpt, best.ckpt or an epoch-NNNN.ckpt).", path);
        }

        _offered = new CheckpointResumePoint(checkpoint, FingerprintsByName(), AllowMismatch);
        return _offered;
    }

    /// <summary>Loads the weights of <c>best.ckpt</c> into <paramref name="model"/>, such as after a run, to keep the best epoch's weights.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The epoch whose weights were loaded, or null when there is no <c>best.ckpt</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="CheckpointException"><c>best.ckpt</c> is damaged or does not fit the model.</exception>
    public int? LoadBest(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!File.Exists(BestPath))
        {
            return null;
        }

        Checkpoint best;
        try
        {
            best = Checkpoint.Read(BestPath);
        }
        catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot load the best weights: {error.Message}", BestPath, innerException: error);
        }

        best.LoadModel(model);
        return best.Epoch;
    }

    private static string Describe(IEnumerable<Checkpoint> checkpoints) =>
        string.Join(", ", checkpoints.Select(c => $"{Path.GetFileName(c.Path)} (epoch {c.Epoch})"));

    private static List<Checkpoint> Intact(IEnumerable<string> files)
    {
        var intact = new List<Checkpoint>();
        foreach (var file in files)
        {
            try
            {
                if (Checkpoint.Read(file) is { WithinEpoch: false } checkpoint)
                {
                    intact.Add(checkpoint);
                }
            }
            catch (Exception error) when (error is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Damaged too: not an alternative.
            }
        }

        return [.. intact.OrderByDescending(c => c.Epoch)];
    }
}
