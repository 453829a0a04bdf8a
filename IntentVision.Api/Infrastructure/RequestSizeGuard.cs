using IntentVision.Api.Ingestion;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Refuses a declared body larger than the route allows with a 413 problem before anything reads it: ingest routes
/// take <see cref="InputRules.MaxIngestBodyBytes"/>, everything else <see cref="InputRules.MaxOtherBodyBytes"/>.
/// Kestrel's own limit (set to the larger) also stops undeclared (chunked) bodies.
/// </summary>
public sealed class RequestSizeGuard(RequestDelegate next, IProblemDetailsService problemDetails)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        var ingest = path.StartsWithSegments("/api/metrics") || (path.StartsWithSegments("/api/sources") && path.Value!.EndsWith("/push", StringComparison.Ordinal));
        var limit = ingest ? InputRules.MaxIngestBodyBytes : InputRules.MaxOtherBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problemDetails.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The request body is too large.",
                    Detail = $"At most {limit} bytes are accepted here.",
                },
            });
            return;
        }

        if (!ingest && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    }
}
