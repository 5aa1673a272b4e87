using TinyDl.Examples;

namespace TinyDl.Tests.Examples;

/// <summary>The examples' command-line checks: a rejected command line names its option and says what is wrong.</summary>
internal static class OptionAssert
{
    public static void Rejected(Action parse, string option, string message)
    {
        var error = Assert.Throws<OptionsException>(parse);

        Assert.Multiple(() =>
        {
            Assert.That(error.Message, Does.Contain(message));
            Assert.That(error.Option, Is.EqualTo(option));
        });
    }
}
