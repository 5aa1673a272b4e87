using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Regression;

/// <summary>
/// A model that owns its loss: an MLP predicts, for each sample, the mean and the log-variance of a
/// Gaussian over the target, and <see cref="forward"/> returns the mean (the prediction) together with
/// the batch's mean Gaussian negative log-likelihood. The variance head exists only for the loss, so
/// the loss belongs inside the model rather than in a loss function beside it.
/// </summary>
internal sealed class Regressor : nn.Module<Tensor, Tensor, (Tensor Prediction, Tensor Loss)>
{
    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    private readonly Sequential _body;

    /// <summary>Creates the model: features [N, 1] to (mean, log-variance), through two hidden layers.</summary>
    public Regressor(int hidden = 64)
        : base(nameof(Regressor))
    {
        _body = nn.Sequential(
            ("hidden1", nn.Linear(1, hidden)),
            ("tanh1", nn.Tanh()),
            ("hidden2", nn.Linear(hidden, hidden)),
            ("tanh2", nn.Tanh()),
            ("output", nn.Linear(hidden, 2)));
        RegisterComponents();
    }

    /// <summary>Predicts, without a target, the mean [N] and the log-variance [N] of each sample's target.</summary>
    /// <param name="features">The features [N, 1].</param>
    public (Tensor Mean, Tensor LogVariance) Predict(Tensor features)
    {
        var output = _body.call(features);
        return (output[.., 0], output[.., 1]);
    }

    /// <summary>Predicts the target's mean [N] and returns it with the batch's mean negative log-likelihood.</summary>
    /// <param name="features">The features [N, 1]; batch tensor <c>features</c>.</param>
    /// <param name="target">The targets [N]; batch tensor <c>target</c>.</param>
    public override (Tensor Prediction, Tensor Loss) forward(Tensor features, Tensor target)
    {
        var (mean, logVariance) = Predict(features);
        var nll = (0.5 * (logVariance + ((target - mean).square() * (-logVariance).exp()))) + HalfLogTwoPi;
        return (mean, nll.mean());
    }
}
