using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Mvc;

namespace IntentVision.Api.Auth;

/// <summary>Answers a missing or wrong key with 401 and a missing scope with 403, both as problem details.</summary>
public sealed class ProblemAuthorizationResultHandler(IProblemDetailsService problemDetails) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            var presented = ApiKeyAuthenticationHandler.ReadKey(context.Request) is not null;
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await Write(context, new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = presented ? "The API key is not valid." : "An API key is required.",
                Detail = presented
                    ? "The key is unknown or has been revoked."
                    : $"Send the key as 'Authorization: Bearer <key>' or '{ApiKeyAuthenticationHandler.HeaderName}: <key>'.",
            });
            return;
        }

        if (authorizeResult.Forbidden)
        {
            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToList() ?? [];
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            var problem = new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The API key lacks a required scope.",
                Detail = missing.Count == 0 ? "The key may not do this." : $"This needs the scope '{string.Join("', '", missing)}'.",
            };
            problem.Extensions["requiredScopes"] = missing;
            await Write(context, problem);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private Task Write(HttpContext context, ProblemDetails problem) =>
        problemDetails.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
}
