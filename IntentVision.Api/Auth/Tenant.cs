using System.Reflection;
using IntentVision.Api.Infrastructure;
using IntentVision.Data.Organizations;
using Microsoft.AspNetCore.Http.Metadata;

namespace IntentVision.Api.Auth;

/// <summary>
/// The organization a request acts for, taken from its key and never from the body. An organization key acts
/// for its own organization only. The platform admin (bootstrap) key names one with the
/// <c>X-IntentVision-Organization</c> header or the <c>/api/organizations/{organizationId}/...</c> path prefix;
/// an organization key that names another organization that way gets 404, as if it did not exist.
/// </summary>
public sealed record Tenant(string OrganizationId, string KeyId, bool IsPlatformAdmin) : IEndpointParameterMetadataProvider
{
    public const string OrganizationHeader = "X-IntentVision-Organization";
    public const string OrganizationRouteValue = "organizationId";

    public static async ValueTask<Tenant?> BindAsync(HttpContext context)
    {
        var user = context.User;
        var keyId = user.FindFirst(ApiKeyClaims.KeyId)?.Value
            ?? throw new ApiProblemException(StatusCodes.Status401Unauthorized, "An API key is required.", "This endpoint acts for an organization; send its key.");
        var named = context.GetRouteValue(OrganizationRouteValue) as string;
        if (string.IsNullOrEmpty(named) && context.Request.Headers.TryGetValue(OrganizationHeader, out var header))
        {
            named = header.ToString().Trim();
        }

        if (user.HasClaim(ApiKeyClaims.PlatformAdmin, "true"))
        {
            if (string.IsNullOrEmpty(named))
            {
                throw new ApiProblemException(
                    StatusCodes.Status400BadRequest,
                    "Name the organization.",
                    $"The platform admin key acts for no organization of its own: send the '{OrganizationHeader}' header or use /api/organizations/{{organizationId}}/...");
            }

            var organizations = context.RequestServices.GetRequiredService<OrganizationRepository>();
            if (await organizations.GetAsync(named, context.RequestAborted) is null)
            {
                throw new ApiProblemException(StatusCodes.Status404NotFound, "The organization does not exist.", $"There is no organization '{Shorten(named)}'.");
            }

            return new Tenant(named, keyId, IsPlatformAdmin: true);
        }

        var own = user.FindFirst(ApiKeyClaims.Organization)!.Value;
        if (!string.IsNullOrEmpty(named) && !string.Equals(named, own, StringComparison.Ordinal))
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, "The organization does not exist.", $"There is no organization '{Shorten(named)}'.");
        }

        return new Tenant(own, keyId, IsPlatformAdmin: false);
    }

    /// <summary>Documents the optional organization header in the OpenAPI description of every tenant endpoint.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new TenantParameterMetadata());

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}

/// <summary>Marks endpoints that act for a tenant, so the OpenAPI transformer can add the organization header.</summary>
public sealed class TenantParameterMetadata;
