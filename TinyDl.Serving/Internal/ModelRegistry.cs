namespace TinyDl.Serving.Internal;

/// <summary>The models <c>AddTinyDlModel</c> registered, by name, in registration order; one per service collection.</summary>
internal sealed class ModelRegistry
{
    private readonly List<(string Name, ModelSource Source, ModelServingOptions Options)> _registrations = [];

    public IEnumerable<string> Names => _registrations.Select(r => r.Name);

    public void Add(string name, ModelSource source, ModelServingOptions options)
    {
        if (_registrations.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"A model named '{name}' is already registered; give each model its own name.", nameof(name));
        }

        _registrations.Add((name, source, options));
    }

    public IReadOnlyList<(string Name, ModelSource Source, ModelServingOptions Options)> Registrations => _registrations;
}
