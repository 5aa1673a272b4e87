namespace TinyDl;

/// <summary>Names of stages as they appear in files: CSV columns and TensorBoard tags.</summary>
public static class StageExtensions
{
    /// <summary>The lower-case name of a stage: <c>train</c>, <c>validation</c> or <c>test</c>.</summary>
    /// <param name="stage">The stage.</param>
    /// <returns>The stage's name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined stage.</exception>
    public static string ToName(this Stage stage) => stage switch
    {
        Stage.Train => "train",
        Stage.Validation => "validation",
        Stage.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage."),
    };

    /// <summary>
    /// The key of a stage's metric in files and tables: <c>&lt;stage&gt;_&lt;metric&gt;</c>, such as
    /// <c>validation_accuracy</c>. CSV columns, the console table, <c>run.json</c> and highscores all use it.
    /// </summary>
    /// <param name="stage">The stage.</param>
    /// <param name="metric">The metric's name.</param>
    /// <returns>The key.</returns>
    public static string MetricKey(this Stage stage, string metric) => $"{stage.ToName()}_{metric}";
}
