namespace TinyDl.Reporters.Internal;

/// <summary>
/// Gathers the <see cref="EpochCompleted"/> events of one epoch's stages and hands them over, in the
/// order of <see cref="RunStarted.Stages"/>, when the epoch's last stage completes. An epoch whose last
/// stage never completes (a run stopped between train and validation) is never handed over.
/// </summary>
internal sealed class EpochCollector
{
    private readonly Dictionary<Stage, EpochCompleted> _current = [];
    private Stage[] _stages = [];

    /// <summary>Whether a run has started, so that epochs can complete.</summary>
    public bool Started => _stages.Length > 0;

    /// <summary>The column name of a stage's metric: <c>train_loss</c>, <c>validation_accuracy</c>.</summary>
    public static string ColumnName(Stage stage, string metric) => $"{stage.ToName()}_{metric}";

    /// <summary>Starts a run: forgets any partial epoch and remembers the run's stages.</summary>
    public void Start(RunStarted e)
    {
        _stages = [.. e.Stages];
        _current.Clear();
    }

    /// <summary>Records one stage's epoch.</summary>
    /// <returns>The epoch's stages in run order when <paramref name="e"/> completes the epoch; otherwise null.</returns>
    public IReadOnlyList<EpochCompleted>? Add(EpochCompleted e)
    {
        if (Array.IndexOf(_stages, e.Stage) < 0)
        {
            return null;
        }

        if (_current.Values.Any(v => v.Epoch != e.Epoch))
        {
            _current.Clear();
        }

        _current[e.Stage] = e;
        if (e.Stage != _stages[^1])
        {
            return null;
        }

        var parts = _stages.Where(_current.ContainsKey).Select(s => _current[s]).ToArray();
        _current.Clear();
        return parts;
    }

    /// <summary>The columns an epoch reports, in order: every stage's metrics as <c>stage_metric</c>.</summary>
    public static IEnumerable<(string Column, MetricValue Value)> Metrics(IReadOnlyList<EpochCompleted> parts) =>
        parts.SelectMany(p => p.Metrics.Select(m => (ColumnName(p.Stage, m.Name), m)));
}
