using TinyDl.Serving.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace TinyDl.Serving;

/// <content>What the worker does with libtorch: load and warm up a model, run a batch.</content>
public sealed partial class ServedModel
{
    // Builds and loads the model, moves it to the device in eval mode, and runs it once on zeros (one
    // sample and a full batch) to check its outputs and to take libtorch's first-call costs before any request.
    private LoadedModel LoadAndWarmUp()
    {
        var loaded = Source.Load();
        try
        {
            var module = loaded.Module;
            module.to(Options.Device);
            module.eval();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var outputShape = OutputOf(module, 1);
            if (Options.MaxBatchSize > 1)
            {
                _ = OutputOf(module, Options.MaxBatchSize);
            }

            if (Options.Labels is { } labels && (outputShape.Length != 1 || outputShape[0] != labels.Count))
            {
                throw new ModelLoadException($"The model '{Name}' returns outputs of shape [N, {string.Join(", ", outputShape)}] per batch, but {labels.Count} labels were given (ModelServingOptions.Labels): a classifier's outputs must be [N, {labels.Count}].");
            }

            OutputShape = outputShape;
            return loaded;
        }
        catch
        {
            if (!ReferenceEquals(loaded.Module, _current?.Module))
            {
                loaded.Module.Dispose();
            }

            throw;
        }
    }

    private int[] OutputOf(nn.Module<Tensor, Tensor> module, int samples)
    {
        long[] shape = [samples, .. Options.InputShape.Select(size => (long)size)];
        using var zeros = torch.zeros(shape, ScalarType.Float32, Options.Device);
        Tensor output;
        try
        {
            output = module.forward(zeros);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new ModelLoadException($"The model '{Name}' fails on zeros of shape [{string.Join(", ", shape)}]: {error.Message} Check ModelServingOptions.InputShape: it is the shape of one sample, without the batch dimension.", error);
        }

        if (output.dim() < 2 || output.shape[0] != samples)
        {
            throw new ModelLoadException($"The model '{Name}' returns shape [{string.Join(", ", output.shape)}] for a batch of {samples}; a served model must return [N, ...], one output row per sample.");
        }

        return [.. output.shape.Skip(1).Select(size => (int)size)];
    }

    private void RunBatch(List<WorkItem> batch)
    {
        // Requests whose clients left while the batch was being filled are dropped here, still unrun.
        batch.RemoveAll(Drop);
        if (batch.Count == 0)
        {
            return;
        }

        var total = batch.Sum(item => item.Samples);
        var sampleSize = Options.SampleSize;
        var data = batch.Count == 1 ? batch[0].Input.Values : Concatenate(batch, total * sampleSize);
        var module = _current!.Module;
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long[] shape = [total, .. Options.InputShape.Select(size => (long)size)];
            var input = tensor(data, shape, ScalarType.Float32).to(Options.Device);
            var output = module.forward(input);
            if (output.dim() < 2 || output.shape[0] != total)
            {
                throw new InvalidOperationException($"The model returned shape [{string.Join(", ", output.shape)}] for a batch of {total}; a served model must return one output row per sample.");
            }

            var host = output.to(ScalarType.Float32).cpu();
            var outputs = host.data<float>().ToArray();
            var probabilities = Options.Labels is null ? null
                : Options.ClassifierOutput == ClassifierOutput.Logits ? host.softmax(1).data<float>().ToArray()
                : outputs;
            Answer(batch, outputs, probabilities, [.. host.shape.Skip(1).Select(size => (int)size)]);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _samples, total);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Log.BatchFailed(_logger, error, Name, total);
            var failure = new InvalidOperationException($"The model '{Name}' failed on a batch of {total} samples: {error.Message}", error);
            foreach (var item in batch)
            {
                item.Completion.TrySetException(failure);
            }
        }
    }

    private static float[] Concatenate(List<WorkItem> batch, int length)
    {
        var data = new float[length];
        var offset = 0;
        foreach (var item in batch)
        {
            item.Input.Values.CopyTo(data, offset);
            offset += item.Input.Values.Length;
        }

        return data;
    }

    private void Answer(List<WorkItem> batch, float[] outputs, float[]? probabilities, int[] sampleShape)
    {
        var perSample = sampleShape.Aggregate(1, (product, size) => product * size);
        var classes = Options.Labels?.Count ?? 0;
        var row = 0;
        foreach (var item in batch)
        {
            var n = item.Samples;
            var mine = outputs.AsSpan(row * perSample, n * perSample).ToArray();
            var probs = probabilities?.AsSpan(row * classes, n * classes).ToArray();
            item.Completion.TrySetResult(new Prediction(mine, [n, .. sampleShape], probs, Options.Labels));
            row += n;
        }
    }
}
