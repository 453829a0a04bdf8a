using System.Reflection;
using IntentVision.Api.Infrastructure;
using IntentVision.Data.Organizations;
using Microsoft.AspNetCore.Http.Metadata;

namespace IntentVision.Api.Auth;

/// <summary>
/// The organization a request acts for, taken from its key and never from the body. An organization key acts
/// for its own organization only. The platform admin (bootstrap) key names one with the
/// <c>X-IntentVision-Organization</c> header or the route form <c>/api/organizations/{organizationId}/...</c>
/// (see <see cref="Apis.TenantApis"/>); an organization key that names another organization that way gets 404,
/// as if it did not exist.
/// </summary>
public sealed record Tenant(string OrganizationId, string KeyId, bool IsPlatformAdmin) : IEndpointParameterMetadataProvider
{
    public const string OrganizationHeader = "X-IntentVision-Organization";

    /// <summary>The route parameter of the organization route form.</summary>
    public const string OrganizationRouteParameter = "organizationId";

    public static async ValueTask<Tenant?> BindAsync(HttpContext context)
    {
        var user = context.User;
        var keyId = user.FindFirst(ApiKeyClaims.KeyId)?.Value
            ?? throw new ApiProblemException(StatusCodes.Status401Unauthorized, "An API key is required.", "This endpoint acts for an organization; send its key.");
        var named = NamedOrganization(context);
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
                throw NoSuchOrganization(named);
            }

            return new Tenant(named, keyId, IsPlatformAdmin: true);
        }

        var own = user.FindFirst(ApiKeyClaims.Organization)!.Value;
        if (!string.IsNullOrEmpty(named) && !string.Equals(named, own, StringComparison.Ordinal))
        {
            throw NoSuchOrganization(named);
        }

        return new Tenant(own, keyId, IsPlatformAdmin: false);
    }

    /// <summary>The organization the request names: the route parameter of the organization form, else the header.</summary>
    public static string? NamedOrganization(HttpContext context)
    {
        if (context.Request.RouteValues.TryGetValue(OrganizationRouteParameter, out var routed) && routed is string fromRoute)
        {
            return fromRoute;
        }

        return context.Request.Headers.TryGetValue(OrganizationHeader, out var header) ? header.ToString().Trim() : null;
    }

    /// <summary>Marks the endpoint as acting for a tenant (an OpenAPI transformer or a test can find them).</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new TenantParameterMetadata());

    private static ApiProblemException NoSuchOrganization(string named) =>
        new(StatusCodes.Status404NotFound, "The organization does not exist.", $"There is no organization '{(named.Length <= 64 ? named : named[..64] + "…")}'.");
}

/// <summary>Marks endpoints that act for a tenant.</summary>
public sealed class TenantParameterMetadata;
