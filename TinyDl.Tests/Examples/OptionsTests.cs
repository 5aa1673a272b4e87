using System.Globalization;
using FashionMnist;
using TinyDl.Examples;

namespace TinyDl.Tests.Examples;

public sealed class OptionsTests
{
    [Test]
    public void No_arguments_give_the_defaults()
    {
        var options = Options.Parse([]);

        Assert.Multiple(() =>
        {
            Assert.That(options.Model, Is.EqualTo("mlp"));
            Assert.That(options.EarlyStopping, Is.Null);
            Assert.That(options.Epochs, Is.EqualTo(5));
            Assert.That(options.BatchSize, Is.EqualTo(64));
            Assert.That(options.ValidBatchSize, Is.EqualTo(1000));
            Assert.That(options.LearningRate, Is.EqualTo(0.001));
            Assert.That(options.Hidden, Is.EqualTo(256));
            Assert.That(options.Seed, Is.EqualTo(42));
            Assert.That(options.Out, Is.EqualTo(Path.Combine("runs", "fashion-mnist")));
            Assert.That(options.Data, Is.EqualTo("/usr/share/datasets/fashion-mnist"));
            Assert.That(options.ValidationSize, Is.EqualTo(5000));
            Assert.That(options.Resume, Is.EqualTo(new ResumeChoice()));
            Assert.That(options.Sweep, Is.False);
            Assert.That(options.Help, Is.False);
        });
    }

    [TestCase("--model cnn --epochs 3 --batch-size 32 --valid-batch-size 500 --lr 3e-4 --hidden 128 --seed 7 --out o --data d --early-stopping 2")]
    [TestCase("--model=cnn --epochs=3 --batch-size=32 --valid-batch-size=500 --lr=3e-4 --hidden=128 --seed=7 --out=o --data=d --early-stopping=2")]
    [TestCase("--early-stopping 2 --data d --out=o --seed 7 --hidden=128 --lr 0.0003 --valid-batch-size=500 --batch-size 32 --epochs=3 --model cnn")]
    public void Every_option_is_read_in_either_form(string commandLine)
    {
        var options = Options.Parse(commandLine.Split(' '));

        Assert.Multiple(() =>
        {
            Assert.That(options.Model, Is.EqualTo("cnn"));
            Assert.That(options.EarlyStopping, Is.EqualTo(2));
            Assert.That(options.Epochs, Is.EqualTo(3));
            Assert.That(options.BatchSize, Is.EqualTo(32));
            Assert.That(options.ValidBatchSize, Is.EqualTo(500));
            Assert.That(options.LearningRate, Is.EqualTo(3e-4));
            Assert.That(options.Hidden, Is.EqualTo(128));
            Assert.That(options.Seed, Is.EqualTo(7));
            Assert.That(options.Out, Is.EqualTo("o"));
            Assert.That(options.Data, Is.EqualTo("d"));
        });
    }

    [Test]
    public void A_value_may_contain_an_equals_sign() =>
        Assert.That(Options.Parse(["--out=runs/a=b"]).Out, Is.EqualTo("runs/a=b"));

    [Test]
    public void Numbers_are_read_in_the_invariant_culture()
    {
        // Arrange: a culture whose decimal separator is a comma.
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            // Act
            var options = Options.Parse(["--lr", "0.5"]);

            // Assert
            Assert.That(options.LearningRate, Is.EqualTo(0.5));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [TestCase("--help")]
    [TestCase("-h")]
    [TestCase("--epochs 0 --help")]
    public void Help_wins_over_everything_else(string commandLine) =>
        Assert.That(Options.Parse(commandLine.Split(' ')).Help, Is.True);

    [TestCase("", "model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=5_seed=42")]
    [TestCase("--scheduler none", "model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=5_seed=42")]
    [TestCase("--scheduler=cosine", "model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=5_seed=42_scheduler=cosine")]
    public void A_schedule_other_than_none_is_a_hyperparameter_of_the_experiment(string commandLine, string name)
    {
        var options = Options.Parse(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.That(options.Experiments().Select(e => e.Name), Is.EqualTo(new[] { name }));
    }

    [Test]
    public void The_usage_text_lists_every_option_and_the_install_command()
    {
        string[] names = ["--model", "--early-stopping", "--scheduler", "--epochs", "--batch-size", "--valid-batch-size", "--lr", "--hidden", "--seed", "--out", "--data", "--sweep", "--help"];

        Assert.Multiple(() =>
        {
            foreach (var name in names)
            {
                Assert.That(Options.Usage, Does.Contain(name));
            }

            Assert.That(Options.Usage, Does.Contain("sudo apt-get install dataset-fashion-mnist"));
        });
    }

    [TestCase("--epochs 0", "--epochs", "must be a positive integer; got '0'")]
    [TestCase("--epochs=-2", "--epochs", "must be a positive integer; got '-2'")]
    [TestCase("--epochs ten", "--epochs", "must be a positive integer; got 'ten'")]
    [TestCase("--epochs 2.5", "--epochs", "must be a positive integer; got '2.5'")]
    [TestCase("--epochs 99999999999", "--epochs", "must be a positive integer; got '99999999999'")]
    [TestCase("--batch-size 0", "--batch-size", "must be a positive integer; got '0'")]
    [TestCase("--valid-batch-size -1", "--valid-batch-size", "must be a positive integer; got '-1'")]
    [TestCase("--hidden 0", "--hidden", "must be a positive integer; got '0'")]
    [TestCase("--lr 0", "--lr", "must be a positive, finite number such as 0.001 or 1e-3; got '0'")]
    [TestCase("--lr -0.1", "--lr", "got '-0.1'")]
    [TestCase("--lr NaN", "--lr", "got 'NaN'")]
    [TestCase("--lr=Infinity", "--lr", "got 'Infinity'")]
    [TestCase("--lr 1e999", "--lr", "got '1e999'")]
    [TestCase("--lr 0,001", "--lr", "got '0,001'")]
    [TestCase("--seed -1", "--seed", "must be a non-negative integer; got '-1'")]
    [TestCase("--model resnet", "--model", "Option --model must be one of mlp, cnn; got 'resnet'.")]
    [TestCase("--model CNN", "--model", "must be one of mlp, cnn; got 'CNN'")]
    [TestCase("--early-stopping 0", "--early-stopping", "Option --early-stopping must be a positive integer; got '0'.")]
    [TestCase("--early-stopping=-3", "--early-stopping", "must be a positive integer; got '-3'")]
    [TestCase("--early-stopping soon", "--early-stopping", "must be a positive integer; got 'soon'")]
    [TestCase("--early-stopping 1.5", "--early-stopping", "must be a positive integer; got '1.5'")]
    [TestCase("--seed x", "--seed", "must be a non-negative integer; got 'x'")]
    [TestCase("--scheduler cyclic", "--scheduler", "Option --scheduler must be one of none, step, cosine, plateau; got 'cyclic'.")]
    [TestCase("--validation-size -1", "--validation-size", "must be an integer from 0 to")]
    [TestCase("--validation-size 60000", "--validation-size", "must leave training images")]
    [TestCase("--validation-size 0 --early-stopping 2", "--early-stopping", "needs a validation split")]
    [TestCase("--validation-size 0 --scheduler plateau", "--scheduler", "follows the validation loss")]
    [TestCase("--resume --restart", "--restart", "cannot be combined with --resume")]
    [TestCase("--resume --resume-strict", "--resume-strict", "Give one of --resume, --resume-strict, not several.")]
    public void A_bad_value_is_named_with_its_option(string commandLine, string option, string message) =>
        AssertRejected(commandLine, option, message);

    [TestCase("--lr", "--lr", "Option --lr needs a value, as in '--lr VALUE' or '--lr=VALUE'.")]
    [TestCase("--out --lr 0.1", "--out", "Option --out needs a value")]
    [TestCase("--data=", "--data", "Option --data needs a value")]
    [TestCase("--model", "--model", "Option --model needs a value")]
    [TestCase("--early-stopping --epochs 3", "--early-stopping", "Option --early-stopping needs a value")]
    [TestCase("--learning-rate 0.1", "--learning-rate", "Unknown option '--learning-rate'. Known options: --model, --epochs, ")]
    [TestCase("--epochs=3 extra", "extra", "Unexpected argument 'extra'")]
    [TestCase("-e 3", "-e", "Unexpected argument '-e'")]
    [TestCase("--sweep=yes", "--sweep", "Option --sweep: cannot read the sweep file 'yes': ")]
    [TestCase("--epochs 3 --epochs=4", "--epochs", "Option --epochs is given more than once.")]
    [TestCase("--sweep --lr 0.1", "--lr", "Option --lr cannot be combined with --sweep")]
    [TestCase("--hidden=64 --sweep", "--hidden", "Option --hidden cannot be combined with --sweep")]
    public void A_malformed_command_line_is_rejected_naming_the_option(string commandLine, string option, string message) =>
        AssertRejected(commandLine, option, message);

    [Test]
    public void The_default_experiment_has_a_readable_name()
    {
        var experiment = Options.Parse(["--epochs", "3"]).ToExperiment();

        Assert.Multiple(() =>
        {
            Assert.That(experiment.Name, Is.EqualTo("model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=3_seed=42"));
            Assert.That(experiment.Get<string>("model"), Is.EqualTo("mlp"));
            Assert.That(experiment.Get<double>("lr"), Is.EqualTo(0.001));
            Assert.That(experiment.Get<int>("hidden"), Is.EqualTo(256));
            Assert.That(experiment.Get<long>("seed"), Is.EqualTo(42));
        });
    }

    [Test]
    public void The_sweep_grid_crosses_two_learning_rates_with_two_widths()
    {
        var options = Options.Parse(["--sweep", "--batch-size", "32"]);

        var names = options.Experiments().Select(e => e.Name).ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(options.SweepGrid().ExperimentCount, Is.EqualTo(4));
            Assert.That(names, Is.EqualTo(new[]
            {
                "model=mlp_lr=0.001_hidden=128_batch_size=32_epochs=5_seed=42",
                "model=mlp_lr=0.001_hidden=256_batch_size=32_epochs=5_seed=42",
                "model=mlp_lr=0.0003_hidden=128_batch_size=32_epochs=5_seed=42",
                "model=mlp_lr=0.0003_hidden=256_batch_size=32_epochs=5_seed=42",
            }));
        });
    }

    [Test]
    public void Without_sweep_the_experiments_are_the_default_one_alone() =>
        Assert.That(Options.Parse([]).Experiments().Select(e => e.Name), Is.EqualTo(new[] { "model=mlp_lr=0.001_hidden=256_batch_size=64_epochs=5_seed=42" }));

    [Test]
    public void The_model_is_a_hyperparameter_of_every_experiment_and_of_the_sweep() =>
        Assert.That(Options.Parse(["--model", "cnn", "--sweep"]).Experiments().Select(e => e.Get<string>("model")), Is.EqualTo(Enumerable.Repeat("cnn", 4)));

    [Test]
    public void Early_stopping_is_not_a_hyperparameter_so_it_keeps_the_run_directory() =>
        Assert.That(Options.Parse(["--early-stopping", "3"]).ToExperiment(), Is.EqualTo(Options.Parse([]).ToExperiment()));

    private static void AssertRejected(string commandLine, string option, string message) =>
        OptionAssert.Rejected(() => Options.Parse(commandLine.Split(' ')), option, message);
}
