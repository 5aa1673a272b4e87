namespace TinyDl.Reporters.Internal;

/// <summary>One kept prediction, on the host: the sample's position in the epoch (from 0), its labels, the predicted class's probability, its loss and its pixels.</summary>
internal sealed record PredictionEntry(long Sample, int Target, int Predicted, float Probability, float Loss, float[] Pixels);
