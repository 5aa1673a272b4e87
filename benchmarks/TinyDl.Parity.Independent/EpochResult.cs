namespace TinyDl.Parity.Independent;

/// <summary>One pass over a data set: the mean loss and the accuracy over all its samples.</summary>
public readonly record struct EpochResult(double Loss, double Accuracy);
