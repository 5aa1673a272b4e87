namespace TinyDl.Parity;

/// <summary>Creates the named workload.</summary>
internal static class Workloads
{
    public static Workload Create(string name, string dataDirectory) => name switch
    {
        "synthetic" => Workload.Synthetic(),
        "fashion" => Fashion(dataDirectory),
        _ => throw new ArgumentException($"Unknown workload {name}."),
    };

    /// <summary>The example's MLP (784-256-10) on Fashion-MNIST, batch 64, Adam 1e-3, validated on 10,000 test images in batches of 1,000.</summary>
    private static Workload Fashion(string dataDirectory)
    {
        var data = FashionMnist.FashionMnistData.Load(dataDirectory);
        return new Workload("fashion", data.Train.Images, data.Train.Labels, data.Test.Images, data.Test.Labels, 784, 256, 10, 64, 1000, 1e-3);
    }
}
