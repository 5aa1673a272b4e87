namespace TinyDl.Metrics;

/// <summary>What a model's output scores are, for metrics that threshold or rank them.</summary>
public enum ScoreKind
{
    /// <summary>Raw logits: a sigmoid (one score) or softmax (one score per class) gives probabilities.</summary>
    Logits,

    /// <summary>Probabilities in [0, 1], used as they are.</summary>
    Probabilities,
}
