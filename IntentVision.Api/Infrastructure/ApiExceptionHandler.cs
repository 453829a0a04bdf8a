using System.Globalization;
using IntentVision.Data.Metrics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Infrastructure;

/// <summary>
/// The one place where an exception becomes an answer. <see cref="Map"/> lists every exception the API turns into
/// a 4xx, or, for the database, a 503 or 507 with Retry-After that names the cause (<see cref="DatabaseProblems"/>);
/// anything else is a bug, answered 500 by the framework with a generic problem and logged, never with its text.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (Map(exception) is not { } mapped || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = mapped.Problem.Status!.Value;
        if (mapped.RetryAfter is { } retryAfter)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        }

        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = mapped.Problem });
    }

    /// <summary>The problem an exception stands for, or null when it is a bug.</summary>
    public static MappedProblem? Map(Exception exception) => exception switch
    {
        ApiProblemException api => new MappedProblem(new ProblemDetails { Status = api.StatusCode, Title = api.Title, Detail = api.Message }, api.RetryAfter),
        BadHttpRequestException bad => new MappedProblem(BadRequestProblems.From(bad), null),
        AggregateOverflowException overflow => new MappedProblem(
            new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "The aggregate is out of range.",
                Detail = $"The {overflow.Aggregate} of a bucket exceeds the range of a double (±1.8e308). Use agg=avg, min, max or a smaller step.",
            },
            null),
        _ => DatabaseProblems.Map(exception),
    };

    /// <summary>Whole seconds, rounded up, at least 1 (RFC 9110 delay-seconds).</summary>
    public static string RetryAfterSeconds(TimeSpan delay) =>
        Math.Max(1, (long)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Problem details and, for 429 and 503, when to come back.</summary>
internal sealed record MappedProblem(ProblemDetails Problem, TimeSpan? RetryAfter);
