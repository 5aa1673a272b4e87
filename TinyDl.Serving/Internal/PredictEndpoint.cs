using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace TinyDl.Serving.Internal;

/// <summary><c>POST /models/{name}/predict</c>: reads the input (JSON, a decoder's media type, or a form with one file), queues it, answers the prediction or a problem.</summary>
internal static class PredictEndpoint
{
    public const string Json = "application/json";
    public const string Form = "multipart/form-data";

    public static async Task<IResult> HandleAsync(HttpContext context, ServedModel model)
    {
        var request = context.Request;
        var aborted = context.RequestAborted;
        try
        {
            var top = Top(request.Query, model.Options);
            var input = await ReadInputAsync(request, model.Options, aborted).ConfigureAwait(false);
            var prediction = await model.PredictAsync(input, aborted).ConfigureAwait(false);
            return TypedResults.Json(PredictResponse.From(model, prediction, top), ServingJson.Options);
        }
        catch (ModelInputException error)
        {
            return Problems.Input(error);
        }
        catch (BodyTooLargeException error)
        {
            return Problems.TooLarge(error.Limit);
        }
        catch (UnsupportedMediaTypeException)
        {
            return Problems.UnsupportedMediaType(request.ContentType, Accepted(model.Options));
        }
        catch (ModelUnavailableException error)
        {
            return Problems.Unavailable(error);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away; nobody reads this answer.
            return TypedResults.Empty;
        }
        catch (InvalidOperationException error)
        {
            return Problems.Failed(error);
        }
    }

    /// <summary>The media types the endpoint accepts for these options.</summary>
    public static IEnumerable<string> Accepted(ModelServingOptions options) =>
        options.Decoders.Count == 0 ? [Json] : [Json, .. options.Decoders.Keys, Form];

    private static async Task<ModelInput> ReadInputAsync(HttpRequest request, ModelServingOptions options, CancellationToken cancellationToken)
    {
        var type = MediaTypeHeaderValue.TryParse(request.ContentType, out var header) ? header.MediaType.Value : null;
        if (type is null)
        {
            throw new UnsupportedMediaTypeException();
        }

        if (type.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            return JsonInputReader.Read(await RequestBody.ReadAsync(request, options.MaxRequestBytes, cancellationToken).ConfigureAwait(false), options);
        }

        if (options.Decoders.TryGetValue(type, out var decode))
        {
            return decode(await RequestBody.ReadAsync(request, options.MaxRequestBytes, cancellationToken).ConfigureAwait(false));
        }

        if (type.Equals(Form, StringComparison.OrdinalIgnoreCase) && options.Decoders.Count > 0)
        {
            return await ReadFormAsync(request, options, cancellationToken).ConfigureAwait(false);
        }

        throw new UnsupportedMediaTypeException();
    }

    // A form (an HTML upload, curl -F) with one file, decoded by the file's media type.
    private static async Task<ModelInput> ReadFormAsync(HttpRequest request, ModelServingOptions options, CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadAsync(request, options.MaxRequestBytes, cancellationToken).ConfigureAwait(false);
        request.Body = new MemoryStream(body.ToArray(), writable: false);
        Microsoft.AspNetCore.Http.IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException error)
        {
            throw new ModelInputException("body", $"is not a readable multipart form ({error.Message})", "a form with one file");
        }

        var accepted = string.Join(", ", options.Decoders.Keys);
        if (form.Files.Count != 1)
        {
            throw new ModelInputException("body", $"is a form with {form.Files.Count} files", $"a form with one file of type {accepted}");
        }

        var file = form.Files[0];
        var type = MediaTypeHeaderValue.TryParse(file.ContentType, out var header) ? header.MediaType.Value : null;
        if (type is null || !options.Decoders.TryGetValue(type, out var decode))
        {
            throw new ModelInputException(file.Name, $"is a file of type '{file.ContentType}'", $"a file of type {accepted}");
        }

        using var stream = new MemoryStream();
        await file.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        return decode(stream.ToArray());
    }

    private static int Top(IQueryCollection query, ModelServingOptions options)
    {
        var classes = options.Labels?.Count ?? 0;
        if (!query.TryGetValue("top", out var values))
        {
            return Math.Min(options.TopK, Math.Max(classes, 1));
        }

        if (classes == 0)
        {
            throw new ModelInputException("top", "is given, but the model is not served as a classifier", "no top parameter");
        }

        return values.Count == 1 && int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var top) && top >= 1 && top <= classes
            ? top
            : throw new ModelInputException("top", $"is '{values}'", $"a whole number from 1 to {classes}");
    }

    private sealed class UnsupportedMediaTypeException : Exception
    {
    }
}
