namespace TinyDl.Metrics;

/// <summary>How <see cref="Precision"/>, <see cref="Recall"/> and <see cref="F1Score"/> combine per-class scores into one value (as scikit-learn's <c>average</c>).</summary>
public enum Average
{
    /// <summary>The unweighted mean over all classes, present or not; reported as <c>f1_macro</c> (and so on).</summary>
    Macro,

    /// <summary>The score of the summed true positives, false positives and false negatives; reported as <c>f1_micro</c>.</summary>
    Micro,

    /// <summary>The mean over classes weighted by each class's number of true samples (support); reported as <c>f1_weighted</c>.</summary>
    Weighted,

    /// <summary>The score of the positive class (class 1) of a two-class problem; reported as <c>f1_binary</c>.</summary>
    Binary,
}
