using Microsoft.Extensions.Logging;

namespace TinyDl.Serving.Internal;

/// <summary>The served models of the application, created from the registry when first asked for; owns them.</summary>
internal sealed class ServedModels : IDisposable
{
    private readonly Dictionary<string, ServedModel> _models = new(StringComparer.OrdinalIgnoreCase);

    public ServedModels(ModelRegistry registry, ILoggerFactory loggers)
    {
        foreach (var (name, source, options) in registry.Registrations)
        {
            _models[name] = new ServedModel(name, source, options, loggers.CreateLogger($"TinyDl.Serving.{name}"));
        }

        All = [.. registry.Names.Select(name => _models[name])];
    }

    public IReadOnlyList<ServedModel> All { get; }

    public ServedModel this[string name] => _models.TryGetValue(name, out var model)
        ? model
        : throw new InvalidOperationException($"No model named '{name}' is registered (registered: {(_models.Count == 0 ? "none" : string.Join(", ", _models.Keys))}); call builder.Services.AddTinyDlModel(\"{name}\", ...) first.");

    public void Dispose()
    {
        foreach (var model in All)
        {
            model.Dispose();
        }
    }
}
