namespace TinyDl.Serving;

/// <summary>What the service does with NaN and infinite input values.</summary>
public enum NonFiniteInputs
{
    /// <summary>Refuse the request with a 400 problem that names the first such element.</summary>
    Reject,

    /// <summary>Pass them to the model. In JSON they are written as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>; numbers beyond float32's range become infinities.</summary>
    Allow,
}
