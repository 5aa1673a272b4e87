using System.Net;
using System.Text;
using TinyDl.Serving;

namespace TinyDl.Tests.Serving;

/// <summary>Every bad input is a 4xx problem document (RFC 7807) naming the field and what was expected, never a crash.</summary>
public sealed class BadInputTests
{
    private GatedModel _model = null!;
    private ServingApp _served = null!;

    [OneTimeSetUp]
    public async Task Serve()
    {
        _model = new GatedModel();
        _served = await ServingApp.StartAsync(ModelSource.FromModule(_model), new ModelServingOptions { InputShape = [4], Labels = ServingApp.Labels, MaxRequestBytes = 2048 });
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _served.DisposeAsync();
        _model.Dispose();
    }

    [TestCase("{", "body", "inputs", TestName = "Not_JSON_names_the_body")]
    [TestCase("[1, 2]", "$", "inputs", TestName = "A_JSON_array_instead_of_an_object_names_the_root")]
    [TestCase("{}", "inputs", "inputs", TestName = "A_missing_inputs_field_names_it")]
    [TestCase("{\"input\": []}", "input", "inputs", TestName = "An_unknown_field_names_it")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 4], \"data\": [1, 2, 3, 4]}, {\"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}", "inputs", "one tensor", TestName = "Two_tensors_for_a_model_of_one_input_name_inputs")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 5], \"data\": [1, 2, 3, 4, 5]}]}", "inputs[0].shape", "[N, 4]", TestName = "A_wrong_sample_shape_names_the_shape")]
    [TestCase("{\"inputs\": [{\"shape\": [4], \"data\": [1, 2, 3, 4]}]}", "inputs[0].shape", "[N, 4]", TestName = "A_shape_without_the_batch_dimension_names_the_shape")]
    [TestCase("{\"inputs\": [{\"shape\": [33, 4], \"data\": []}]}", "inputs[0].shape", "N <= 32", TestName = "More_samples_than_a_batch_holds_name_the_shape")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 4], \"data\": [1, 2, 3]}]}", "inputs[0].data", "4 for shape [1, 4]", TestName = "A_wrong_element_count_names_the_data")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 4], \"data\": [1, 2, \"3\", 4]}]}", "inputs[0].data[2]", "a number", TestName = "A_string_element_names_its_index")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 4], \"data\": [1, null, 3, 4]}]}", "inputs[0].data[1]", "a number", TestName = "A_null_element_names_its_index")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 4], \"data\": [\"NaN\", 2, 3, 4]}]}", "inputs[0].data[0]", "a finite number", TestName = "NaN_is_refused_by_default_naming_its_index")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 4], \"data\": [1, 2, 3, 1e39]}]}", "inputs[0].data[3]", "a finite float32 number", TestName = "A_number_beyond_float32_names_its_index")]
    [TestCase("{\"inputs\": [[[1, 2, 3, 4], [1, 2, 3]]]}", "inputs[0][1]", "an array of 4", TestName = "A_ragged_nested_array_names_the_short_row")]
    [TestCase("{\"inputs\": [{\"data\": [1, 2, 3, 4]}]}", "inputs[0].shape", "[N, 4]", TestName = "Flat_data_without_a_shape_names_the_shape")]
    [TestCase("{\"inputs\": [{\"shape\": [1, 0.5], \"data\": [1]}]}", "inputs[0].shape[1]", "a positive whole number", TestName = "A_fractional_size_names_it")]
    [TestCase("{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}", "inputs[0].name", "\"input\"", TestName = "A_wrong_input_name_names_it")]
    [TestCase("{\"inputs\": {\"x\": [[1, 2, 3, 4]]}}", "inputs.x", "\"input\"", TestName = "An_unknown_named_input_names_it")]
    public async Task A_bad_json_input_is_a_400_problem_naming_the_field(string body, string field, string expected)
    {
        var (response, problem) = await Json.PostAsync(_served.Client, "/models/m/predict", body);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), problem?.ToJsonString());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((int)problem!["status"]!, Is.EqualTo(400));
            Assert.That((string)problem["field"]!, Is.EqualTo(field));
            Assert.That((string)problem["expected"]!, Does.Contain(expected));
            Assert.That((string)problem["detail"]!, Does.StartWith(field));
        });
    }

    [TestCase("0")]
    [TestCase("4")]
    [TestCase("two")]
    public async Task A_top_outside_the_classes_is_a_400_problem_naming_top(string top)
    {
        var (response, problem) = await Json.PostAsync(_served.Client, $"/models/m/predict?top={top}", Json.Request([[1, 2, 3, 4]]));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)problem!["field"]!, Is.EqualTo("top"));
            Assert.That((string)problem["expected"]!, Is.EqualTo("a whole number from 1 to 3"));
        });
    }

    [Test]
    public async Task A_body_over_the_limit_is_a_413_problem()
    {
        // A valid request padded with white space to 3,000 bytes.
        var body = Json.Request([[1, 2, 3, 4]]).PadRight(3000);

        var (response, problem) = await Json.PostAsync(_served.Client, "/models/m/predict", body);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That((string)problem!["field"]!, Is.EqualTo("body"));
            Assert.That((string)problem["expected"]!, Is.EqualTo("at most 2048 bytes"));
        });
    }

    [Test]
    public async Task Another_media_type_is_a_415_problem_naming_the_accepted_ones()
    {
        var response = await _served.Client.PostAsync("/models/m/predict", new StringContent("1,2,3,4", Encoding.UTF8, "text/csv"));
        var problem = await Json.Body(response);

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
            Assert.That((string)problem!["field"]!, Is.EqualTo("Content-Type"));
            Assert.That((string)problem["expected"]!, Is.EqualTo("application/json"));
            Assert.That((string)problem["detail"]!, Does.Contain("text/csv"));
        });
    }

    [Test]
    public async Task The_service_still_answers_after_every_bad_input()
    {
        var (response, answer) = await Json.PostAsync(_served.Client, "/models/m/predict", Json.Request([[1, 2, 3, 4]]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), answer?.ToJsonString());
    }
}
