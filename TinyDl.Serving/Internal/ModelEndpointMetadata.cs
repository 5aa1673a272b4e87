namespace TinyDl.Serving.Internal;

/// <summary>Marks a model's endpoints, so the OpenAPI transformer knows which model an operation belongs to.</summary>
internal sealed record ModelEndpointMetadata(string Model, ModelEndpointKind Kind);

/// <summary>Which of a model's endpoints.</summary>
internal enum ModelEndpointKind
{
    Provenance,
    Predict,
}
