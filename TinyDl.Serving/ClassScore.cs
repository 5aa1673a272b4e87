namespace TinyDl.Serving;

/// <summary>One class of a classifier's answer for one sample.</summary>
/// <param name="Index">The class index, the position in the model's outputs.</param>
/// <param name="Label">The class name from <see cref="ModelServingOptions.Labels"/>.</param>
/// <param name="Probability">The class's probability (float32, as the model or its softmax computed it).</param>
public sealed record ClassScore(int Index, string Label, float Probability);
