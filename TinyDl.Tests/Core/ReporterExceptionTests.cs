namespace TinyDl.Tests.Core;

public sealed class ReporterExceptionTests
{
    [Test]
    public void The_exception_keeps_its_message_the_participant_and_the_cause()
    {
        // Arrange
        var cause = new IOException("disk full");

        // Act
        var alone = new ReporterException("Reporter 'csv' failed.", "csv");
        var wrapped = new ReporterException("Reporter 'csv' failed: disk full", "csv", cause);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That((alone.Message, alone.Participant, alone.InnerException), Is.EqualTo(("Reporter 'csv' failed.", "csv", (Exception?)null)));
            Assert.That((wrapped.Message, wrapped.Participant, wrapped.InnerException), Is.EqualTo(("Reporter 'csv' failed: disk full", "csv", cause)));
            Assert.That(wrapped, Is.InstanceOf<TinyDlException>());
        });
    }
}
