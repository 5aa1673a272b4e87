namespace TinyDl.Tests.Core;

public sealed class HyperparameterTests
{
    [Test]
    public void Experiments_are_the_cartesian_product_with_the_first_key_varying_slowest()
    {
        // Arrange
        var grid = new Hyperparameter { { "lr", 0.1, 0.01 }, { "hidden", 128, 256, 512 } };

        // Act
        var experiments = grid.GetExperiments().ToList();

        // Assert
        var pairs = experiments.Select(e => (e.Get<double>("lr"), e.Get<int>("hidden"))).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(grid.ExperimentCount, Is.EqualTo(6));
            Assert.That(pairs, Is.EqualTo(new[] { (0.1, 128), (0.1, 256), (0.1, 512), (0.01, 128), (0.01, 256), (0.01, 512) }));
        });
    }

    [Test]
    public void Experiments_can_be_iterated_again_with_the_same_result()
    {
        var grid = new Hyperparameter { { "a", 1, 2 }, { "b", "x", "y" } };
        var experiments = grid.GetExperiments();

        var first = experiments.Select(e => e.Id).ToList();
        var second = experiments.Select(e => e.Id).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.EqualTo(first));
            Assert.That(first, Is.Unique);
        });
    }

    [Test]
    public void A_grid_from_a_dictionary_keeps_its_order()
    {
        var grid = new Hyperparameter(new Dictionary<string, object[]> { ["z"] = [1, 2], ["a"] = [true, false] });

        var names = grid.GetExperiments().Select(e => e.Name).ToList();

        Assert.That(names, Is.EqualTo(new[] { "z=1_a=true", "z=1_a=false", "z=2_a=true", "z=2_a=false" }));
    }

    [Test]
    public void Values_are_read_typed_and_integers_widen_but_nothing_narrows()
    {
        var experiment = new Hyperparameter { { "hidden", 256 }, { "lr", 0.001 }, { "name", "mlp" }, { "bn", true } }.GetExperiments().Single();

        Assert.Multiple(() =>
        {
            Assert.That(experiment.Get<int>("hidden"), Is.EqualTo(256));
            Assert.That(experiment.Get<long>("hidden"), Is.EqualTo(256L));
            Assert.That(experiment.Get<double>("hidden"), Is.EqualTo(256.0));
            Assert.That(experiment.Get<double>("lr"), Is.EqualTo(0.001));
            Assert.That(experiment.Get<string>("name"), Is.EqualTo("mlp"));
            Assert.That(experiment.Get<bool>("bn"), Is.True);
            Assert.That(() => experiment.Get<int>("lr"), Throws.InstanceOf<InvalidCastException>().With.Message.Contains("'lr'"));
            Assert.That(() => experiment.Get<int>("depth"), Throws.InstanceOf<KeyNotFoundException>().With.Message.Contains("'depth'").And.Message.Contains("hidden, lr, name, bn"));
        });
    }

    [Test]
    public void The_id_is_stable_and_depends_on_values_and_their_kind()
    {
        var a = new Experiment([new("lr", 0.001), new("hidden", 256)]);
        var same = new Experiment([new("lr", 0.001), new("hidden", 256)]);
        var sameAsLong = new Experiment([new("lr", 0.001), new("hidden", 256L)]);
        var asReal = new Experiment([new("lr", 0.001), new("hidden", 256.0)]);
        var asText = new Experiment([new("lr", 0.001), new("hidden", "256")]);
        var otherValue = new Experiment([new("lr", 0.001), new("hidden", 128)]);

        Assert.Multiple(() =>
        {
            Assert.That(a.Id, Is.EqualTo(same.Id));
            Assert.That(a.Id, Has.Length.EqualTo(12).And.Match("^[0-9a-f]{12}$"));
            Assert.That(sameAsLong.Id, Is.EqualTo(a.Id), "int and long are one kind: integer");
            Assert.That(sameAsLong.Name, Is.EqualTo(a.Name));
            Assert.That(new[] { asReal.Id, asText.Id, otherValue.Id }, Has.None.EqualTo(a.Id));
            Assert.That(new[] { a.Id, asReal.Id, asText.Id }, Is.Unique);
            Assert.That(a, Is.EqualTo(same));
        });
    }

    [Test]
    public void Names_are_readable_and_safe_for_file_systems()
    {
        var plain = new Experiment([new("optimizer", "adamw"), new("lr", 1e-3), new("hidden", 256), new("bn", true)]);
        var replaced = new Experiment([new("optimizer", "adam/w: β"), new("lr", 1e-3)]);
        var empty = new Hyperparameter().GetExperiments().Single();
        var longOne = new Experiment([new("text", new string('x', 300))]);

        Assert.Multiple(() =>
        {
            Assert.That(plain.Name, Is.EqualTo("optimizer=adamw_lr=0.001_hidden=256_bn=true"));
            Assert.That(replaced.Name, Is.EqualTo($"optimizer=adam-w---_lr=0.001~{replaced.Id}"), "characters replaced: the id makes the name unique");
            Assert.That(empty.Name, Is.EqualTo("default"));
            Assert.That(longOne.Name, Has.Length.EqualTo(100).And.EndsWith("~" + longOne.Id));
            Assert.That(Path.GetInvalidFileNameChars().Any(replaced.Name.Contains), Is.False);
        });
    }

    [TestCase("dataset", "v1/train", "v1 train")]
    [TestCase("dataset", "v1_train", "v1-train")]
    [TestCase("x", "a_b=1", "a")]
    public void Experiments_whose_values_print_alike_get_different_names(string key, string first, string second)
    {
        var one = new Experiment([new(key, first), new("b", 1)]);
        var other = new Experiment([new(key, second), new("b", 1)]);

        Assert.Multiple(() =>
        {
            Assert.That(one.Name, Is.Not.EqualTo(other.Name));
            Assert.That(one.Id, Is.Not.EqualTo(other.Id));
        });
    }

    [Test]
    public void Values_of_different_kinds_that_print_alike_get_different_names_and_equal_values_the_same()
    {
        object[] values = [1, 1L, 1.0, 1.0f, "1", true, "true", 0.5, 0.5f, 0.1, 0.1f, "1.0"];

        var names = values.ToDictionary(v => $"{v.GetType().Name} {v}", v => new Experiment([new("v", v)]).Name);

        Assert.Multiple(() =>
        {
            Assert.That(names["Int32 1"], Is.EqualTo("v=1"));
            Assert.That(names["Int64 1"], Is.EqualTo("v=1"), "1 and 1L are the same experiment");
            Assert.That(names["Double 1"], Is.EqualTo("v=1.0"));
            Assert.That(names["Single 1"], Is.EqualTo("v=1.0"), "1.0f is exactly 1.0");
            Assert.That(names["Double 0.5"], Is.EqualTo(names["Single 0.5"]));
            Assert.That(names["Single 0.1"], Is.EqualTo("v=0.10000000149011612"), "0.1f is not 0.1");
            Assert.That(names["Boolean True"], Is.EqualTo("v=true"));
            Assert.That(names["String 1"], Does.StartWith("v=1~"), "a string that reads as a number");
            Assert.That(names["String true"], Does.StartWith("v=true~"));
            Assert.That(names["String 1.0"], Does.StartWith("v=1.0~"));
            Assert.That(names.Values.Distinct().Count(), Is.EqualTo(values.Length - 3), "only 1/1L, 1.0/1.0f and 0.5/0.5f coincide");
        });
    }

    [Test]
    public void A_grid_listing_one_value_as_two_types_is_rejected()
    {
        Assert.That(() => new Hyperparameter { { "hidden", 256, 256L } }, Throws.ArgumentException.With.Message.Contains("'hidden' lists the same value twice"));
    }

    [Test]
    public void Bad_grids_are_rejected_with_a_message_naming_the_key()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new Hyperparameter { { "lr" } }, Throws.ArgumentException.With.Message.Contains("'lr' has no values"));
            Assert.That(() => new Hyperparameter { { "lr", 0.1, null! } }, Throws.ArgumentException.With.Message.Contains("'lr' has a null value"));
            Assert.That(() => new Hyperparameter { { "when", DateTime.Now } }, Throws.ArgumentException.With.Message.Contains("'when'").And.Message.Contains("unsupported type DateTime"));
            Assert.That(() => new Hyperparameter { { "lr", 0.1 }, { "lr", 0.2 } }, Throws.ArgumentException.With.Message.Contains("'lr' is already in the grid"));
            Assert.That(() => new Hyperparameter { { "lr", 0.1, 0.1 } }, Throws.ArgumentException.With.Message.Contains("'lr' lists the same value twice"));
            Assert.That(() => new Hyperparameter { { "lr", double.NaN } }, Throws.ArgumentException.With.Message.Contains("'lr' has the non-finite value"));
            Assert.That(() => new Hyperparameter { { "learning rate", 0.1 } }, Throws.ArgumentException.With.Message.Contains("'learning rate'"));
            Assert.That(() => new Hyperparameter { { "", 0.1 } }, Throws.ArgumentException.With.Message.Contains("must not be null or empty"));
        });
    }

    [Test]
    public void The_experiments_do_not_change_when_the_grid_changes_later()
    {
        var grid = new Hyperparameter { { "a", 1, 2 } };
        var experiments = grid.GetExperiments();

        grid.Add("b", 3, 4);

        Assert.That(experiments.Count(), Is.EqualTo(2));
    }
}
