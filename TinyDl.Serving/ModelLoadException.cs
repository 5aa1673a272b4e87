namespace TinyDl.Serving;

/// <summary>
/// A model could not be loaded for serving: the run directory is not a completed run, its weights are not
/// the ones run.json records, or they do not fit the model the factory built. The message names the
/// run, the problem and the fix. Thrown when the application starts (from <c>app.Run</c>).
/// </summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException()
        : this("The model could not be loaded.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What was refused and why.</param>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What was refused and why.</param>
    /// <param name="innerException">The cause.</param>
    public ModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
