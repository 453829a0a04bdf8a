using System.Threading.RateLimiting;
using IntentVision.Api.Auth;
using IntentVision.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace IntentVision.Api.Limits;

/// <summary>
/// The request rate limiter: a token bucket per key (per client address for callers without a valid key) chained
/// with one per organization, so one organization's flood spends its own budget and nobody else's. A refused request
/// is a 429 problem with <c>Retry-After</c>.
/// </summary>
internal static class RequestRateLimits
{
    public static void Configure(RateLimiterOptions options, LimitsOptions limits)
    {
        options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(context => TokenBuckets.PerSecond(Caller(context), limits.RequestsPerSecondPerKey)),
            PartitionedRateLimiter.Create<HttpContext, string>(context => Organization(context) is { } organization
                ? TokenBuckets.PerSecond("org:" + organization, limits.RequestsPerSecondPerOrganization)
                : RateLimitPartition.GetNoLimiter(string.Empty)));
        options.OnRejected = (rejected, cancellationToken) => WriteRejectionAsync(rejected, limits);
    }

    private static string Caller(HttpContext context) =>
        context.User.FindFirst(ApiKeyClaims.KeyId)?.Value is { } keyId
            ? "key:" + keyId
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>The organization a request spends: its key's, or the one the platform admin names.</summary>
    private static string? Organization(HttpContext context) =>
        context.User.FindFirst(ApiKeyClaims.Organization)?.Value
        ?? (context.User.HasClaim(ApiKeyClaims.PlatformAdmin, "true") ? Tenant.NamedOrganization(context) : null);

    private static ValueTask WriteRejectionAsync(OnRejectedContext rejected, LimitsOptions limits)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = ApiExceptionHandler.RetryAfterSeconds(retryAfter);
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = $"A key may send {limits.RequestsPerSecondPerKey} requests per second and an organization {limits.RequestsPerSecondPerOrganization}; try again after the Retry-After delay.",
            },
        });
    }
}
