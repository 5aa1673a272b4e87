using System.Reactive.Subjects;
using TinyDl.Internal;

namespace TinyDl.Tests.Participants;

/// <summary>The run's streams follow the terminal rules of Rx's own Subject, checked side by side with it.</summary>
public sealed class EventSubjectTests
{
    [TestCase("next next complete next subscribe")]
    [TestCase("next error next subscribe complete")]
    [TestCase("subscribe complete error subscribe")]
    [TestCase("error subscribe subscribe next")]
    [TestCase("next unsubscribe next complete subscribe")]
    public void Notifications_match_an_Rx_subject_for_the_same_operations(string script)
    {
        // Arrange
        var reference = new Subject<int>();
        var subject = new EventSubject<int>();
        var boom = new InvalidOperationException("boom");

        // Act
        var expected = Play(script, reference, reference.OnNext, reference.OnCompleted, () => reference.OnError(boom));
        var actual = Play(script, subject, subject.OnNext, subject.OnCompleted, () => subject.OnError(boom));

        // Assert
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void An_observer_that_throws_stops_the_delivery_and_the_exception_reaches_the_caller_as_in_Rx()
    {
        // Arrange
        var reference = new Subject<int>();
        var subject = new EventSubject<int>();
        var seen = new List<string>();
        foreach (var (name, source) in new (string, IObservable<int>)[] { ("rx", reference), ("tinydl", subject) })
        {
            source.Subscribe(_ => throw new InvalidOperationException(name));
            source.Subscribe(v => seen.Add($"{name} {v}"));
        }

        // Act
        var rx = Assert.Throws<InvalidOperationException>(() => reference.OnNext(1));
        var tinydl = Assert.Throws<InvalidOperationException>(() => subject.OnNext(1));

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((rx!.Message, tinydl!.Message), Is.EqualTo(("rx", "tinydl")));
            Assert.That(seen, Is.Empty, "neither reached the second observer");
        });
    }

    [Test]
    public void OnNextToAll_reaches_every_observer_and_returns_what_they_threw()
    {
        var subject = new EventSubject<int>();
        var seen = new List<int>();
        subject.Subscribe(_ => throw new InvalidOperationException("first"));
        subject.Subscribe(seen.Add);

        var errors = subject.OnNextToAll(5);

        Assert.Multiple(() =>
        {
            Assert.That(seen, Is.EqualTo(new[] { 5 }));
            Assert.That(errors.Select(e => e.Message), Is.EqualTo(new[] { "first" }));
        });
    }

    private static List<string> Play(string script, IObservable<int> source, Action<int> next, Action complete, Action error)
    {
        var log = new List<string>();
        var subscriptions = new List<IDisposable>();
        var value = 0;
        foreach (var step in script.Split(' '))
        {
            switch (step)
            {
                case "subscribe":
                    var id = subscriptions.Count;
                    subscriptions.Add(source.Subscribe(v => log.Add($"{id} next {v}"), e => log.Add($"{id} error {e.Message}"), () => log.Add($"{id} completed")));
                    break;
                case "unsubscribe":
                    subscriptions[^1].Dispose();
                    break;
                case "next":
                    if (subscriptions.Count == 0)
                    {
                        subscriptions.Add(source.Subscribe(v => log.Add($"0 next {v}"), e => log.Add($"0 error {e.Message}"), () => log.Add("0 completed")));
                    }

                    next(++value);
                    break;
                case "complete":
                    complete();
                    break;
                case "error":
                    error();
                    break;
            }
        }

        return log;
    }
}
