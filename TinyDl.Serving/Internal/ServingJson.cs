using System.Text.Json;
using System.Text.Json.Serialization;

namespace TinyDl.Serving.Internal;

/// <summary>The JSON of answers: camelCase, nulls left out, NaN and infinities as strings, independent of the application's own JSON options.</summary>
internal static class ServingJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>A tensor in a request or an answer: its name, its shape (batch dimension first) and its values, row-major.</summary>
internal sealed record TensorJson(string? Name, IReadOnlyList<int> Shape, float[] Data);

/// <summary>A prediction request: the model's input, by position (an array of one tensor) or by name.</summary>
internal sealed record PredictRequest(IReadOnlyList<TensorJson> Inputs);

/// <summary>A prediction answer: the outputs, and for a classifier the most probable classes of each sample.</summary>
internal sealed record PredictResponse(string Model, IReadOnlyList<TensorJson> Outputs, IReadOnlyList<SamplePrediction>? Predictions)
{
    public static PredictResponse From(ServedModel model, Prediction prediction, int top)
    {
        var outputs = new TensorJson("output", prediction.OutputShape, prediction.Outputs.ToArray());
        List<SamplePrediction>? predictions = null;
        if (model.Options.Labels is not null)
        {
            predictions = new List<SamplePrediction>(prediction.Samples);
            for (var i = 0; i < prediction.Samples; i++)
            {
                var classes = prediction.Top(i, top);
                predictions.Add(new SamplePrediction(classes[0].Index, classes[0].Label, classes[0].Probability, classes));
            }
        }

        return new PredictResponse(model.Name, [outputs], predictions);
    }
}

/// <summary>One sample's most probable class, and the <c>top</c> classes in order.</summary>
internal sealed record SamplePrediction(int Index, string Label, float Probability, IReadOnlyList<ClassScore> Top);
