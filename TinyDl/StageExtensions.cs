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
}
