using TinyDl.Metrics;
using TinyDl.Runs;
using TinyDl.Tests.Support;
using static TorchSharp.torch;

namespace TinyDl.Tests.Serving;

/// <summary>Real run directories made in process in a fraction of a second: a linear classifier 4 -> 3 trained on synthetic data, with run.json, model.bin and checkpoints.</summary>
internal static class TinyRuns
{
    /// <summary>The factory of these runs' model: nn.Linear(4, 3), whatever the hyperparameters.</summary>
    public static nn.Module<Tensor, Tensor> Linear(RunManifest run) => nn.Linear(4, 3);

    /// <summary>Trains two epochs and leaves a completed run under root; returns its directory.</summary>
    public static string Write(string root, long seed = 7)
    {
        var experiment = new Experiment([new("lr", 0.1), new("seed", seed)]);
        manual_seed(seed);
        var (x, y) = Synthetic.Classification(50, seed);
        var (vx, vy) = Synthetic.Classification(20, seed + 100);
        var model = nn.Linear(4, 3);
        var loss = nn.CrossEntropyLoss();
        var directory = Path.Combine(root, experiment.Name);
        using var trainer = new Trainer(model, new TensorBatches(x, y, 8, shuffle: true, seed: seed), optim.SGD(model.parameters(), 0.1), loss, [new Loss(), new Accuracy()]);
        using var validator = new Validator(model, new TensorBatches(vx, vy, 7), loss, [new Loss(), new Accuracy()]);
        using var runner = new Runner(trainer, validator) { Experiment = experiment };
        using var manifest = new ManifestWriter(directory, model);
        using (runner.Attach(manifest, new Checkpointer(Path.Combine(directory, "checkpoints"))))
        {
            runner.Run(2);
            ModelFile.Save(model, Path.Combine(directory, "model.bin"));
            manifest.RecordWeights("model.bin", 2, "last");
        }

        return directory;
    }

    /// <summary>The run's weights loaded into a new nn.Linear(4, 3), independently of the service.</summary>
    public static nn.Module<Tensor, Tensor> Load(string directory, string file = "model.bin")
    {
        var model = nn.Linear(4, 3);
        model.load(Path.Combine(directory, file));
        model.eval();
        return model;
    }

    /// <summary>Replaces run.json's field (a JSON path of object keys) with a value, as an edited or damaged run would have it.</summary>
    public static void EditManifest(string directory, Action<System.Text.Json.Nodes.JsonObject> edit)
    {
        var path = Path.Combine(directory, RunManifest.FileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(json);
        File.WriteAllText(path, json.ToJsonString());
    }
}
