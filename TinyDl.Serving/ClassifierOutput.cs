namespace TinyDl.Serving;

/// <summary>What a classifier's outputs are, so that answers can give class probabilities.</summary>
public enum ClassifierOutput
{
    /// <summary>Unnormalised scores: the probabilities are their softmax over the classes.</summary>
    Logits,

    /// <summary>Probabilities already (the model ends in a softmax): used as they are.</summary>
    Probabilities,
}
