using TinyDl;
using TinyDl.Examples;

namespace FashionMnist;

/// <summary>The command line of the example: <c>--name value</c> or <c>--name=value</c>, numbers in invariant culture.</summary>
public sealed class Options
{
    /// <summary>The exit code for a wrong command line.</summary>
    public const int UsageExitCode = CommandLine.UsageExitCode;

    /// <summary>The default number of training images held out for validation.</summary>
    public const int DefaultValidationSize = 5000;

    private static readonly string[] Flags = ["--deterministic", "--last-weights", "--augment", "--help", .. ResumeChoice.Flags];
    private static readonly string[] SweptByGrid = ["--lr", "--hidden"];
    private static readonly string[] Optional = ["--sweep"];
    private static readonly string[] SetBySweepFile = ["--model", "--lr", "--hidden", "--batch-size", "--epochs", "--seed", "--scheduler", "--validation-size", "--augment"];
    private static readonly string[] Valued = ["--model", "--epochs", "--batch-size", "--valid-batch-size", "--lr", "--hidden", "--seed", "--out", "--data", "--early-stopping", "--scheduler", "--evaluate", "--validation-size", "--serve", "--host", "--port", "--shard", .. ResumeChoice.Valued];

    /// <summary>The help text.</summary>
    public static string Usage { get; } =
        $"""
        Usage: FashionMnist [options]

        Trains an MLP or a small CNN on Fashion-MNIST and writes each run under --out. The model is chosen
        on a validation split held out from the training images; the test images are evaluated once, at
        the end, with the chosen weights.

        Options (--name value or --name=value):
          --model mlp|cnn        mlp: 784-hidden-10; cnn: two 3x3 conv + 2x2 max-pool blocks (32, 64
                                 channels), then a dense layer of --hidden units (default mlp)
          --epochs N             epochs to train (default 5)
          --batch-size N         training batch size (default 64)
          --valid-batch-size N   validation and test batch size (default 1000)
          --validation-size N    training images held out for validation, stratified and seeded
                                 (default {DefaultValidationSize}; 0 to validate on nothing and keep the last weights)
          --lr X                 Adam learning rate (default 0.001, for both models)
          --hidden N             units of the dense hidden layer: the MLP's only hidden layer, the
                                 CNN's layer between the convolutions and the output (default 256)
          --seed N               random seed, >= 0 (default 42)
          --out DIR              directory of the runs (default runs/fashion-mnist)
          --data DIR             directory of the four IDX files (default {DataNotFoundException.PackageDirectory})
          --early-stopping N     stop after N epochs in a row without a new best validation loss
                                 (N >= 1; default off)
          --scheduler S          learning-rate schedule: none (default); step: halve every 2 epochs;
                                 cosine: cosine annealing to 0 over the run, stepped every batch;
                                 plateau: halve when the validation loss did not improve for an epoch
          --augment              train on randomly shifted (up to 2 pixels) and mirrored images
          --sweep                run the built-in grid lr in {"{"}0.001, 0.0003{"}"} x hidden in {"{"}128, 256{"}"}
                                 for --model (not with --lr or --hidden)
          --sweep FILE           run the experiments of a sweep file (README, "Sweeps on a cluster"): it sets
                                 {string.Join(", ", SweepHyperparameters.Required)} (and may set
                                 {string.Join(", ", SweepHyperparameters.Optional)}); runs already
                                 completed are skipped, stopped ones resumed, ones another worker holds
                                 left to it; SIGUSR1 or SIGTERM stop it with exit code {ExitCodes.Requeue} (requeue me)
          --shard S              run one worker's share of the sweep: I/N (shard I of N, from 0), slurm
                                 (from SLURM_ARRAY_TASK_ID and _MIN, _STEP, _COUNT), or k8s/N
                                 (from JOB_COMPLETION_INDEX, N completions)
          --resume               continue each run from its last checkpoint when there is one, else start it
          --resume-strict        continue each run from its last checkpoint; fail when there is none
          --resume-from FILE     continue from this checkpoint, such as checkpoints/best.ckpt
          --restart              delete an earlier run of the same experiment and start again
                                 (without any of these, an earlier run is kept aside in previous-N/)
          --last-weights         keep the last epoch's weights (default: the best validation loss's)
          --deterministic        one CPU thread, so repeated runs agree bit for bit (slower)
          --evaluate RUN_DIR     evaluate RUN_DIR/model.bin on the test set and exit
          --serve RUN_DIR        serve RUN_DIR's model over HTTP with a page to try it (--host, default
                                 127.0.0.1; --port, default 5000, 0 for any free port) until Ctrl+C
          -h, --help             show this text

        Get the data with: sudo apt-get install dataset-fashion-mnist
        """;

    /// <summary>What to do with an earlier run of an experiment: keep it aside (default), continue it, or delete it.</summary>
    public ResumeChoice Resume { get; init; } = new();

    /// <summary>How many training images to hold out for validation (stratified, seeded); 0 for none. Defaults to <see cref="DefaultValidationSize"/>.</summary>
    public int ValidationSize { get; init; } = DefaultValidationSize;

    /// <summary>Whether to use one CPU thread so repeated runs agree bit for bit.</summary>
    public bool Deterministic { get; init; }

    /// <summary>Whether to keep the last epoch's weights instead of restoring the best ones.</summary>
    public bool LastWeights { get; init; }

    /// <summary>A run directory whose saved model to evaluate instead of training; null to train.</summary>
    public string? Evaluate { get; init; }

    /// <summary>A run directory whose model to serve over HTTP instead of training (<c>--serve</c>, with <see cref="Host"/> and <see cref="Port"/>); null to train.</summary>
    public string? Serve { get; init; }

    /// <summary>The address to serve on. Defaults to 127.0.0.1 (this machine only).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port to serve on; 0 for any free port. Defaults to 5000.</summary>
    public int Port { get; init; } = 5000;

    /// <summary>The model: <see cref="FashionMnistModel.Mlp"/> or <see cref="FashionMnistModel.Cnn"/>. Defaults to <see cref="FashionMnistModel.Mlp"/>.</summary>
    public string Model { get; init; } = FashionMnistModel.Mlp;

    /// <summary>
    /// The patience of early stopping on the validation loss: the run stops once the loss has not reached a
    /// new best for this many epochs in a row. Defaults to null: no early stopping.
    /// </summary>
    /// <remarks>
    /// Not a hyperparameter of the experiment: it changes nothing an epoch computes, only whether the later
    /// epochs run, so a run stopped early is the first epochs of the same experiment without it. Its run
    /// directory, checkpoints and <c>--resume</c> are therefore shared with the run without early stopping.
    /// </remarks>
    public int? EarlyStopping { get; init; }

    /// <summary>
    /// The learning-rate schedule: <c>none</c>, <c>step</c>, <c>cosine</c> or <c>plateau</c> (see <see cref="Usage"/>).
    /// Defaults to <c>none</c>. A schedule changes what the epochs compute, so any other value is a
    /// hyperparameter of the experiment (<c>..._scheduler=cosine</c>); <c>none</c> is left out, so runs
    /// without a schedule keep their names.
    /// </summary>
    public string Scheduler { get; init; } = "none";

    /// <summary>Whether to train on augmented images: each shifted by up to 2 pixels and mirrored with
    /// probability 1/2, drawn afresh every batch. A hyperparameter (<c>..._augment=true</c>) when set.</summary>
    public bool Augment { get; init; }

    /// <summary>The values <c>--scheduler</c> takes.</summary>
    public static IReadOnlyList<string> Schedulers { get; } = ["none", "step", "cosine", "plateau"];

    /// <summary>Epochs to train. Defaults to 5.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>The training batch size. Defaults to 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The validation batch size. Defaults to 1000.</summary>
    public int ValidBatchSize { get; init; } = 1000;

    /// <summary>The learning rate. Defaults to 0.001.</summary>
    public double LearningRate { get; init; } = 0.001;

    /// <summary>The width of the dense hidden layer (the MLP's only one, the CNN's after the convolutions). Defaults to 256.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>The random seed. Defaults to 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>The directory of the runs. Defaults to <c>runs/fashion-mnist</c>.</summary>
    public string Out { get; init; } = Path.Combine("runs", "fashion-mnist");

    /// <summary>The directory of the data. Defaults to where the Debian package installs it.</summary>
    public string Data { get; init; } = DataNotFoundException.PackageDirectory;

    /// <summary>Whether to run the built-in sweep (<see cref="SweepGrid"/>) instead of one experiment.</summary>
    public bool Sweep { get; init; }

    /// <summary>The sweep file of <c>--sweep FILE</c>, already read and checked; null without one.</summary>
    public Hyperparameter? SweepFile { get; init; }

    /// <summary>The sweep file's path as given; null without one.</summary>
    public string? SweepFilePath { get; init; }

    /// <summary>The worker's share of the sweep (<c>--shard</c>); null for all of it.</summary>
    public Shard? Shard { get; init; }

    /// <summary>Whether help was asked for; the other options then keep their defaults.</summary>
    public bool Help { get; init; }

    /// <summary>Parses a command line.</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <returns>The options.</returns>
    /// <exception cref="OptionsException">An option is unknown, repeated, lacks its value or has a bad one.</exception>
    public static Options Parse(IReadOnlyList<string> args) => Parse(args, Environment.GetEnvironmentVariable);

    /// <summary>Parses a command line, reading the scheduler's variables of <c>--shard slurm</c> and <c>--shard k8s/N</c> with <paramref name="variables"/>.</summary>
    /// <param name="args">The arguments, without the program's name.</param>
    /// <param name="variables">Reads an environment variable.</param>
    /// <returns>The options.</returns>
    /// <exception cref="OptionsException">An option is unknown, repeated, lacks its value or has a bad one, or the sweep file is not valid.</exception>
    public static Options Parse(IReadOnlyList<string> args, Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(variables);
        if (args.Any(a => a is "--help" or "-h"))
        {
            return new Options { Help = true };
        }

        var given = CommandLine.Parse(args, Valued, Flags, Optional);
        if (given.GetValueOrDefault("--sweep") is { } file)
        {
            return ParseSweepFile(given, file, variables);
        }

        if (given.ContainsKey("--shard") && !given.ContainsKey("--sweep"))
        {
            throw new OptionsException("Option --shard takes a share of a sweep; give --sweep FILE (or --sweep) too.") { Option = "--shard" };
        }

        var sweep = given.ContainsKey("--sweep");
        if (sweep && SweptByGrid.FirstOrDefault(given.ContainsKey) is { } swept)
        {
            throw new OptionsException($"Option {swept} cannot be combined with --sweep, whose grid sets it.") { Option = swept, Value = given[swept] };
        }

        var defaults = new Options();
        var validationSize = CommandLine.WholeNumber(given, "--validation-size", defaults.ValidationSize, minimum: 0);
        if (validationSize == 0 && new[] { "--early-stopping", "--last-weights" }.FirstOrDefault(given.ContainsKey) is { } needsValidation)
        {
            throw new OptionsException($"Option {needsValidation} needs a validation split; it cannot be combined with --validation-size 0.") { Option = needsValidation };
        }

        if (validationSize == 0 && given.GetValueOrDefault("--scheduler") == "plateau")
        {
            throw new OptionsException("--scheduler plateau follows the validation loss; it cannot be combined with --validation-size 0.") { Option = "--scheduler", Value = "plateau" };
        }

        if (validationSize >= 60000)
        {
            throw new OptionsException($"Option --validation-size must leave training images: Fashion-MNIST has 60000; got '{validationSize}'.") { Option = "--validation-size", Value = given["--validation-size"] };
        }

        return new Options
        {
            Model = CommandLine.OneOf(given, "--model", FashionMnistModel.Kinds, defaults.Model),
            EarlyStopping = given.ContainsKey("--early-stopping") ? CommandLine.WholeNumber(given, "--early-stopping", 0) : null,
            Scheduler = CommandLine.OneOf(given, "--scheduler", Schedulers, defaults.Scheduler),
            Epochs = CommandLine.WholeNumber(given, "--epochs", defaults.Epochs),
            BatchSize = CommandLine.WholeNumber(given, "--batch-size", defaults.BatchSize),
            ValidBatchSize = CommandLine.WholeNumber(given, "--valid-batch-size", defaults.ValidBatchSize),
            LearningRate = CommandLine.PositiveNumber(given, "--lr", defaults.LearningRate, "0.001 or 1e-3"),
            Hidden = CommandLine.WholeNumber(given, "--hidden", defaults.Hidden),
            Seed = CommandLine.Seed(given, "--seed", defaults.Seed),
            Out = given.GetValueOrDefault("--out") ?? defaults.Out,
            Data = given.GetValueOrDefault("--data") ?? defaults.Data,
            Sweep = sweep,
            Shard = SweepHyperparameters.ParseShard(given, variables),
            Resume = ResumeChoice.Parse(given),
            Augment = given.ContainsKey("--augment"),
            ValidationSize = validationSize,
            Deterministic = given.ContainsKey("--deterministic"),
            LastWeights = given.ContainsKey("--last-weights"),
            Evaluate = given.GetValueOrDefault("--evaluate"),
            Serve = given.GetValueOrDefault("--serve"),
            Host = given.GetValueOrDefault("--host") ?? defaults.Host,
            Port = CommandLine.WholeNumber(given, "--port", defaults.Port, minimum: 0),
        };
    }

    /// <summary>The built-in sweep: lr in {0.001, 0.0003} x hidden in {128, 256}, with this model, batch size, epoch count and seed.</summary>
    /// <returns>The grid, keys model, lr, hidden, batch_size, epochs, seed.</returns>
    public Hyperparameter SweepGrid()
    {
        var grid = new Hyperparameter
        {
            { "model", Model },
            { "lr", 1e-3, 3e-4 },
            { "hidden", 128, 256 },
            { "batch_size", BatchSize },
            { "epochs", Epochs },
            { "seed", Seed },
        };
        if (Scheduler != "none")
        {
            grid.Add("scheduler", Scheduler);
        }

        if (ValidationSize != DefaultValidationSize)
        {
            grid.Add("validation_size", ValidationSize);
        }

        if (Augment)
        {
            grid.Add("augment", true);
        }

        return grid;
    }

    /// <summary>The single experiment of these options, named like <c>model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=5_seed=42</c>.</summary>
    /// <returns>The experiment, keys model (string), lr (double), hidden, batch_size, epochs (int) and seed (long), then
    /// scheduler (unless none) and validation_size (unless the default), which change what the epochs compute.</returns>
    public Experiment ToExperiment() => new(
    [
        new("model", Model),
        new("lr", LearningRate),
        new("hidden", Hidden),
        new("batch_size", BatchSize),
        new("epochs", Epochs),
        new("seed", Seed),
        .. Scheduler == "none" ? Array.Empty<KeyValuePair<string, object>>() : [new("scheduler", Scheduler)],
        .. ValidationSize == DefaultValidationSize ? Array.Empty<KeyValuePair<string, object>>() : [new("validation_size", ValidationSize)],
        .. Augment ? [new KeyValuePair<string, object>("augment", true)] : Array.Empty<KeyValuePair<string, object>>(),
    ]);

    /// <summary>The experiments to run: the sweep file's or the built-in sweep's when <see cref="Sweep"/> is set (this worker's <see cref="Shard"/> of them), otherwise <see cref="ToExperiment"/> alone.</summary>
    /// <returns>The experiments in order.</returns>
    public IEnumerable<Experiment> Experiments() => (Shard ?? TinyDl.Shard.All).Of(AllExperiments());

    /// <summary>Every experiment of the sweep file, the built-in sweep or the options, whatever the shard.</summary>
    /// <returns>The experiments in order.</returns>
    public IEnumerable<Experiment> AllExperiments() =>
        SweepFile is { } file ? file.GetExperiments() : Sweep ? SweepGrid().GetExperiments() : [ToExperiment()];

    private static Options ParseSweepFile(IReadOnlyDictionary<string, string?> given, string file, Func<string, string?> variables)
    {
        if (SetBySweepFile.FirstOrDefault(given.ContainsKey) is { } set)
        {
            throw new OptionsException($"Option {set} cannot be combined with --sweep FILE: the sweep file sets the hyperparameters.") { Option = set, Value = given[set] };
        }

        var grid = SweepHyperparameters.Load(file);
        var choice = ResumeChoice.Parse(given);
        var defaults = new Options();
        return new Options
        {
            SweepFilePath = file,
            SweepFile = grid,
            Sweep = true,
            Shard = SweepHyperparameters.ParseShard(given, variables),

            // A worker may be requeued at any time: it continues what it finds unless told otherwise.
            Resume = choice.Resume || choice.Restart ? choice : choice with { Resume = true },
            EarlyStopping = given.ContainsKey("--early-stopping") ? CommandLine.WholeNumber(given, "--early-stopping", 0) : null,
            ValidBatchSize = CommandLine.WholeNumber(given, "--valid-batch-size", defaults.ValidBatchSize),
            Out = given.GetValueOrDefault("--out") ?? defaults.Out,
            Data = given.GetValueOrDefault("--data") ?? defaults.Data,
            Deterministic = given.ContainsKey("--deterministic"),
            LastWeights = given.ContainsKey("--last-weights"),
        };
    }
}
