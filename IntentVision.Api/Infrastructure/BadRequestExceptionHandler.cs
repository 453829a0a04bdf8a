using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// Turns a body that cannot be read (malformed JSON, a string where a number belongs, a body too large)
/// into problem details that say where the problem is, instead of an empty 400 or a stack trace.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is ApiProblemException api)
        {
            httpContext.Response.StatusCode = api.StatusCode;
            return await problemDetails.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = httpContext,
                ProblemDetails = new ProblemDetails { Status = api.StatusCode, Title = api.Title, Detail = api.Message },
            });
        }

        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var json = FindJsonException(bad);
        var problem = new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : json is null ? "The request could not be read." : "The request body could not be read.",
            Detail = json is null ? bad.Message : $"Invalid JSON at {json.Path ?? "$"}: {FirstSentence(json.Message)}",
        };
        if (json?.Path is { } path)
        {
            problem.Extensions["field"] = path;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static JsonException? FindJsonException(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    private static string FirstSentence(string message)
    {
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        return path > 0 ? message[..path] : message;
    }
}
