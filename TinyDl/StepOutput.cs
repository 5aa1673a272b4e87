using static TorchSharp.torch;

namespace TinyDl;

/// <summary>
/// What a custom training or evaluation step returns: the values the run reports for the batch. Metrics
/// read them from <see cref="BatchCompleted"/> as they read a standard step's: the loss, the output and
/// target, and any named tensors (<see cref="BatchCompleted.Value(string)"/>), such as a GAN's two losses.
/// </summary>
/// <example><code>
/// step: batch =&gt;
/// {
///     var output = batch.Forward(model);
///     return new StepOutput(loss(output, batch["labels"])) { Output = output, Target = batch["labels"] };
/// }
/// </code></example>
public sealed class StepOutput
{
    private static readonly IReadOnlyDictionary<string, Tensor> NoValues = new Dictionary<string, Tensor>();

    /// <summary>Creates a step output.</summary>
    /// <param name="loss">The batch's mean loss. With automatic optimization the trainer calls backward on
    /// it and steps the optimizers; null when the step computes no loss (only with manual optimization or for evaluation).</param>
    public StepOutput(Tensor? loss = null)
    {
        Loss = loss;
    }

    /// <summary>The batch's mean loss, or null.</summary>
    public Tensor? Loss { get; }

    /// <summary>The model's output for the batch, for metrics such as accuracy; null when there is none.</summary>
    public Tensor? Output { get; init; }

    /// <summary>The target to compare the output with. Defaults to the batch's tensor named <c>target</c>, if any.</summary>
    public Tensor? Target { get; init; }

    /// <summary>More tensors to report, by name, such as <c>{"d_loss": ..., "g_loss": ...}</c>; read them with a
    /// <c>Mean</c> metric: <c>new Mean("d_loss", b =&gt; b.Value("d_loss"))</c>. Defaults to none.</summary>
    public IReadOnlyDictionary<string, Tensor> Values
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(value));
    } = NoValues;
}
