namespace TinyDl.Serving;

/// <summary>
/// A request's input cannot be given to the model: it names the field, the problem and what was expected.
/// The endpoints answer it with a 400 problem document (RFC 7807) carrying <c>field</c> and <c>expected</c>.
/// Decoders (<see cref="ModelServingOptions.Decoders"/>) throw it for bytes they cannot use.
/// </summary>
public sealed class ModelInputException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="field">Where the problem is, as a JSON path such as <c>inputs[0].data[17]</c>, or <c>body</c>.</param>
    /// <param name="problem">What is wrong, such as <c>is a string</c>.</param>
    /// <param name="expected">What was expected, such as <c>a number</c>.</param>
    public ModelInputException(string field, string problem, string expected)
        : base($"{field} {problem}; expected {expected}.")
    {
        Field = field;
        Problem = problem;
        Expected = expected;
    }

    /// <summary>Creates the exception with a message only (field <c>body</c>).</summary>
    public ModelInputException()
        : this("body", "is not a valid input", "the model's input")
    {
    }

    /// <summary>Creates the exception with a message (field <c>body</c>).</summary>
    /// <param name="message">The message.</param>
    public ModelInputException(string message)
        : base(message)
    {
        Field = "body";
        Problem = message;
        Expected = "the model's input";
    }

    /// <summary>Creates the exception with a message and a cause (field <c>body</c>).</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "body";
        Problem = message;
        Expected = "the model's input";
    }

    /// <summary>Where the problem is: a JSON path such as <c>inputs[0].shape</c>, or <c>body</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>What was expected.</summary>
    public string Expected { get; }
}
