namespace TinyDl.Internal;

/// <summary>
/// Saves and restores how many orders the run's <see cref="IReplayableData"/> data have used, so a resumed run
/// sees the same batches as an uninterrupted one. Other data sources are left as they are.
/// </summary>
internal static class DataOrder
{
    public static Dictionary<string, int> Save(Trainer trainer, Validator? validator)
    {
        var enumerations = new Dictionary<string, int>(StringComparer.Ordinal);
        if (trainer.Data is IReplayableData train)
        {
            enumerations[Stage.Train.ToString()] = train.Enumerations;
        }

        if (validator?.Data is IReplayableData evaluation && !ReferenceEquals(evaluation, trainer.Data))
        {
            enumerations[validator.Stage.ToString()] = evaluation.Enumerations;
        }

        return enumerations;
    }

    public static void Restore(IReadOnlyDictionary<string, int> enumerations, Trainer trainer, Validator? validator)
    {
        if (trainer.Data is IReplayableData train && enumerations.TryGetValue(Stage.Train.ToString(), out var trained))
        {
            train.Enumerations = trained;
        }

        if (validator?.Data is IReplayableData evaluation && !ReferenceEquals(evaluation, trainer.Data)
            && enumerations.TryGetValue(validator.Stage.ToString(), out var evaluated))
        {
            evaluation.Enumerations = evaluated;
        }
    }
}
