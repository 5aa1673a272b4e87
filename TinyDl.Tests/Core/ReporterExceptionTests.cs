namespace TinyDl.Tests.Core;

public sealed class ReporterExceptionTests
{
    [Test]
    public void Each_constructor_keeps_what_it_is_given()
    {
        // Arrange
        var cause = new IOException("disk full");

        // Act
        var empty = new ReporterException();
        var message = new ReporterException("Reporter 'csv' failed.");
        var wrapped = new ReporterException("Reporter 'csv' failed: disk full", cause);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(empty.InnerException, Is.Null);
            Assert.That(empty.Message, Is.Not.Empty);
            Assert.That((message.Message, message.InnerException), Is.EqualTo(("Reporter 'csv' failed.", (Exception?)null)));
            Assert.That((wrapped.Message, wrapped.InnerException), Is.EqualTo(("Reporter 'csv' failed: disk full", cause)));
        });
    }
}
