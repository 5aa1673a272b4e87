namespace FashionMnist;

/// <summary>The Fashion-MNIST files are not where they were looked for. The message says how to install them.</summary>
public sealed class DataNotFoundException : Exception
{
    /// <summary>Where the Debian/Ubuntu package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string PackageDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>How to get the data, as the message ends.</summary>
    public const string InstallHint =
        "Install Fashion-MNIST with 'sudo apt-get install dataset-fashion-mnist' (Debian/Ubuntu; the files land in "
        + PackageDirectory + "), or pass '--data DIR' naming a directory with the four IDX files "
        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz "
        + "(un-gzipped copies without .gz also do).";

    /// <summary>Creates the exception with the standard message.</summary>
    public DataNotFoundException()
        : this("Fashion-MNIST was not found. " + InstallHint)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is missing, followed by <see cref="InstallHint"/>.</param>
    public DataNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What is missing, followed by <see cref="InstallHint"/>.</param>
    /// <param name="innerException">The cause.</param>
    public DataNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The directory that was searched, when known.</summary>
    public string? Directory { get; init; }
}
