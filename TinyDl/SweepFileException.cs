namespace TinyDl;

/// <summary>
/// A sweep file (<see cref="Hyperparameter.Load"/>) is not valid: not JSON, an unknown key, a value of the
/// wrong type, an empty list. The message starts with the file, the line and the JSON path, as in
/// <c>sweep.json:4: $.hyperparameters.lr: the list is empty; give at least one value.</c>
/// </summary>
public sealed class SweepFileException : TinyDlException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The file (or the name given to the text).</param>
    /// <param name="line">The line of the problem, from 1.</param>
    /// <param name="jsonPath">The JSON path of the problem, such as <c>$.hyperparameters.lr[1]</c>.</param>
    /// <param name="problem">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public SweepFileException(string source, int line, string jsonPath, string problem, Exception? innerException = null)
        : base($"{source}:{line}: {jsonPath}: {problem}", innerException)
    {
        File = source;
        Line = line;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The file (or the name given to the text).</summary>
    public string File { get; }

    /// <summary>The line of the problem, from 1.</summary>
    public int Line { get; }

    /// <summary>The JSON path of the problem, such as <c>$.hyperparameters.lr[1]</c>.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong, without the file, line and path.</summary>
    public string Problem { get; }
}
