using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Apis;

/// <summary>The problem details the feature APIs share.</summary>
public static class Problems
{
    /// <summary>Missing and another organization's look the same, so ids of other tenants cannot be probed.</summary>
    public static NotFound<ProblemDetails> NotFound(string what, object id) => TypedResults.NotFound(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = $"The {what} does not exist.",
        Detail = $"There is no {what} '{id}' in this organization.",
    });

    public static Conflict<ProblemDetails> Conflict(string title, string detail) => TypedResults.Conflict(new ProblemDetails
    {
        Status = StatusCodes.Status409Conflict,
        Title = title,
        Detail = detail,
    });
}
