using System.Text;
using TinyDl.Tests.Support;

namespace TinyDl.Tests.Core;

public sealed class SweepFileTests : TemporaryDirectoryTests
{
    private const string Sweep = """
        {
          // a comment
          "hyperparameters": {
            "model": "mlp",
            "lr": [0.001, 0.0003],
            "hidden": [128, 256, 512],
            "epochs": 2,
            "seed": 4294967296,
            "augment": false,
          }
        }
        """;

    [Test]
    public void A_sweep_file_is_a_grid_whose_lists_are_swept_and_single_values_fixed_in_the_files_order()
    {
        // Arrange
        var path = Path.Combine(TestDirectory, "sweep.json");
        File.WriteAllText(path, Sweep);

        // Act
        var grid = Hyperparameter.Load(path);
        var experiments = grid.GetExperiments().ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(grid.Select(kv => kv.Key), Is.EqualTo(new[] { "model", "lr", "hidden", "epochs", "seed", "augment" }));
            Assert.That(experiments, Has.Count.EqualTo(6));
            Assert.That(experiments[0].Name, Is.EqualTo("model=mlp_lr=0.001_hidden=128_epochs=2_seed=4294967296_augment=false"));
            Assert.That(experiments.Select(e => (e.Get<double>("lr"), e.Get<int>("hidden"))), Is.EqualTo(new[] { (0.001, 128), (0.001, 256), (0.001, 512), (0.0003, 128), (0.0003, 256), (0.0003, 512) }));
            Assert.That(experiments[0].Raw("epochs"), Is.TypeOf<int>());
            Assert.That(experiments[0].Raw("seed"), Is.TypeOf<long>());
            Assert.That(experiments[0].Raw("augment"), Is.EqualTo(false));
        });
    }

    [Test]
    public void The_same_file_gives_the_same_experiments_ids_and_order_as_the_same_grid_in_code()
    {
        // Arrange
        var inCode = new Hyperparameter { { "model", "mlp" }, { "lr", 0.001, 0.0003 }, { "hidden", 128, 256, 512 }, { "epochs", 2 }, { "seed", 4294967296L }, { "augment", false } };

        // Act
        var first = Hyperparameter.Parse(Encoding.UTF8.GetBytes(Sweep)).GetExperiments().Select(e => e.Id).ToList();
        var second = Hyperparameter.Parse(Encoding.UTF8.GetBytes(Sweep)).GetExperiments().Select(e => e.Id).ToList();

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first, Is.EqualTo(inCode.GetExperiments().Select(e => e.Id)));
        });
    }

    [TestCase("[1, 2]", 1, "$", "a sweep file is a JSON object", TestName = "A_file_that_is_not_an_object_is_refused")]
    [TestCase("{\n  \"grid\": {}\n}", 2, "$.grid", "unknown key 'grid'; a sweep file has one key, \"hyperparameters\".", TestName = "An_unknown_top_level_key_is_refused_with_its_line")]
    [TestCase("{ }", 1, "$", "the key \"hyperparameters\" is missing", TestName = "A_file_without_hyperparameters_is_refused")]
    [TestCase("{\n \"hyperparameters\": [1]\n}", 2, "$.hyperparameters", "must be an object of hyperparameter names to values, not a list.", TestName = "Hyperparameters_that_are_not_an_object_are_refused")]
    [TestCase("{ \"hyperparameters\": {\n  \"lr\": [0.1],\n  \"hidden\": []\n} }", 3, "$.hyperparameters.hidden", "the list is empty; give at least one value.", TestName = "An_empty_list_is_refused_with_its_line_and_path")]
    [TestCase("{ \"hyperparameters\": {\n  \"lr\": [0.1,\n    null]\n} }", 3, "$.hyperparameters.lr[1]", "wrong type: null; a value is a bool, a number or a string.", TestName = "A_null_value_in_a_list_is_refused_with_its_index")]
    [TestCase("{ \"hyperparameters\": { \"opt\": { \"name\": \"adam\" } } }", 1, "$.hyperparameters.opt", "wrong type: an object; a value is a bool, a number or a string, or a list of them.", TestName = "An_object_value_is_refused")]
    [TestCase("{ \"hyperparameters\": { \"lr\": [[0.1]] } }", 1, "$.hyperparameters.lr[0]", "wrong type: a list inside a list", TestName = "A_list_inside_a_list_is_refused")]
    [TestCase("{ \"hyperparameters\": { \"lr\": [0.1, 0.1] } }", 1, "$.hyperparameters.lr", "Hyperparameter 'lr' lists the same value twice", TestName = "A_value_listed_twice_is_refused")]
    [TestCase("{ \"hyperparameters\": { \"lr\": 1, \"lr\": 2 } }", 1, "$.hyperparameters.lr", "Hyperparameter 'lr' is already in the grid.", TestName = "A_key_given_twice_is_refused")]
    [TestCase("{ \"hyperparameters\": { \"1st\": 1 } }", 1, "$.hyperparameters.1st", "must start with a letter or '_'", TestName = "An_invalid_name_is_refused")]
    [TestCase("{ \"hyperparameters\": { \"n\": 99999999999999999999 } }", 1, "$.hyperparameters.n", "the integer 99999999999999999999 does not fit in 64 bits.", TestName = "An_integer_beyond_64_bits_is_refused")]
    [TestCase("{ \"hyperparameters\": {\n \"lr\": [0.1,, 0.2] } }", 2, "$", "not valid JSON", TestName = "Broken_JSON_is_refused_with_its_line")]
    [TestCase("{ \"hyperparameters\": { \"lr\": 1 } } {", 1, "$", "not valid JSON", TestName = "Text_after_the_object_is_refused")]
    public void A_bad_sweep_file_is_refused_with_the_line_the_JSON_path_and_the_problem(string json, int line, string path, string problem)
    {
        // Act
        var error = Assert.Throws<SweepFileException>(() => Hyperparameter.Parse(Encoding.UTF8.GetBytes(json), "sweep.json"))!;

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(line), error.Message);
            Assert.That(error.JsonPath, Does.StartWith(path), error.Message);
            Assert.That(error.Message, Does.StartWith($"sweep.json:{line}: {error.JsonPath}: ").And.Contain(problem));
        });
    }

    [Test]
    public void A_missing_sweep_file_is_an_IO_error_naming_it()
    {
        var path = Path.Combine(TestDirectory, "nope.json");

        var error = Assert.Throws<FileNotFoundException>(() => Hyperparameter.Load(path))!;

        Assert.That(error.Message, Does.Contain(path));
    }
}
