using System.Reactive.Disposables;

namespace TinyDl;

/// <summary>Conveniences on a run: attach several participants at once, ask it to stop without a reason of your own.</summary>
public static class ParticipantExtensions
{
    /// <summary>Attaches <paramref name="participants"/> to <paramref name="run"/>, in order (which is the order their handlers run in).</summary>
    /// <param name="run">The run.</param>
    /// <param name="participants">The participants.</param>
    /// <returns>One attachment for all; dispose it to detach them.</returns>
    /// <exception cref="ArgumentNullException">An argument or a participant is null.</exception>
    public static IDisposable Attach(this IRunEvents run, params IEnumerable<IRunParticipant> participants)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(participants);
        var attached = new CompositeDisposable();
        try
        {
            foreach (var participant in participants)
            {
                ArgumentNullException.ThrowIfNull(participant, nameof(participants));
                attached.Add(participant.AttachTo(run));
            }
        }
        catch
        {
            attached.Dispose();
            throw;
        }

        return attached;
    }

    /// <summary>Asks the run to stop after the current batch, with the reason <c>stop requested</c>; see <see cref="IRunEvents.RequestStop(string)"/>.</summary>
    /// <param name="run">The run.</param>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is null.</exception>
    public static void RequestStop(this IRunEvents run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.RequestStop("stop requested");
    }
}
