using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace TinyDl.Serving.Internal;

/// <summary>Reads a request body up to a limit, whatever the server: a longer body is refused as soon as it is seen to be longer.</summary>
internal static class RequestBody
{
    public static async Task<ReadOnlyMemory<byte>> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new BodyTooLargeException(limit);
        }

        // Kestrel has a limit of its own (30 MB by default); ours is the one that counts for this endpoint.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit + 1;
        }

        using var body = new MemoryStream((int)Math.Min(request.ContentLength ?? 16 * 1024, limit));
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw new BodyTooLargeException(limit);
                }

                body.Write(buffer, 0, read);
            }
        }
        catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw new BodyTooLargeException(limit);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return body.GetBuffer().AsMemory(0, (int)body.Length);
    }
}

/// <summary>The request body is longer than <see cref="ModelServingOptions.MaxRequestBytes"/>.</summary>
internal sealed class BodyTooLargeException(long limit) : Exception($"The request body is larger than {limit} bytes, the limit (ModelServingOptions.MaxRequestBytes).")
{
    public long Limit { get; } = limit;
}
