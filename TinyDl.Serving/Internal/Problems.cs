using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TinyDl.Serving.Internal;

/// <summary>The RFC 7807 problem documents (<c>application/problem+json</c>) the endpoints answer with.</summary>
internal static class Problems
{
    public static ProblemHttpResult Input(ModelInputException error) => Problem(
        StatusCodes.Status400BadRequest, "The input does not fit the model", error.Message, error.Field, error.Expected);

    public static ProblemHttpResult TooLarge(long limit) => Problem(
        StatusCodes.Status413PayloadTooLarge, "The request body is too large", $"The body is larger than {limit} bytes, the limit of this model (ModelServingOptions.MaxRequestBytes).", "body", $"at most {limit} bytes");

    public static ProblemHttpResult UnsupportedMediaType(string? contentType, IEnumerable<string> accepted)
    {
        var types = string.Join(", ", accepted);
        var given = string.IsNullOrEmpty(contentType) ? "no Content-Type" : $"Content-Type '{contentType}'";
        return Problem(StatusCodes.Status415UnsupportedMediaType, "The request's media type is not accepted", $"The request has {given}; this model accepts {types}.", "Content-Type", types);
    }

    public static IResult Unavailable(ModelUnavailableException error) =>
        new WithHeader(Problem(StatusCodes.Status503ServiceUnavailable, "The model cannot take the request now", error.Message, null, null), "Retry-After", error.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static ProblemHttpResult Failed(Exception error) => Problem(
        StatusCodes.Status500InternalServerError, "The model failed", error.Message, null, null);

    private static ProblemHttpResult Problem(int status, string title, string detail, string? field, string? expected)
    {
        var extensions = new Dictionary<string, object?>();
        if (field is not null)
        {
            extensions["field"] = field;
        }

        if (expected is not null)
        {
            extensions["expected"] = expected;
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }

    private sealed class WithHeader(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
